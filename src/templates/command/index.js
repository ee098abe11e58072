// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: commands. Each command is an entry in "Patchbay: Run Plugin Command"; it returns
 * what Patchbay should do: insert text into the editor, open a document, add a context chip
 * for the next question, start a follow-up question, or show a notification.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  const guidelines = String(context.config.guidelines ?? '');

  // Today's date at the cursor of the editor last used.
  context.registerCommand({
    id: 'insert-date',
    title: 'Insert Today\'s Date',
    async run() {
      return { insertText: new Date().toISOString().slice(0, 10) };
    },
  });

  // A new untitled Markdown document to take notes in.
  context.registerCommand({
    id: 'scratch-note',
    title: 'New Scratch Note',
    async run() {
      return { openDocument: { content: `# Notes ${new Date().toISOString().slice(0, 10)}\n\n`, language: 'markdown' } };
    },
  });

  // The team's guidelines as a context chip: they go with the next question.
  context.registerCommand({
    id: 'add-guidelines',
    title: 'Add Coding Guidelines to the Chat',
    async run({ log }) {
      if (guidelines.trim() === '') return { notify: 'Set "guidelines" with Patchbay: Configure Plugin first.' };
      log.info('adding the guidelines as context');
      return { addContext: { title: 'Coding guidelines', content: guidelines } };
    },
  });
};
