// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: actions. Each action is a button on every answer in the chat; it runs with that
 * answer (its text, reasoning, model and the question it answers) and returns what Patchbay
 * should do: replace or append to the answer, insert text into the editor, open a document,
 * add a context chip, start a follow-up question, or show a notification.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  const followUp = String(context.config.followUp ?? '');

  // Opens the answer's code blocks in a new editor, in the language of the first one.
  context.registerAction({
    id: 'open-code',
    label: 'Open Code',
    async run(message) {
      const blocks = [...message.content.matchAll(/```([\w+#.-]*)[^\n]*\n([\s\S]*?)```/g)];
      if (blocks.length === 0) return { notify: 'This answer has no code block.' };
      const language = blocks[0]?.[1] || undefined;
      return { openDocument: { content: blocks.map((block) => block[2]).join('\n'), ...(language ? { language } : {}) } };
    },
  });

  // Rewrites the answer in place (the change is saved in the conversation's history).
  context.registerAction({
    id: 'tidy',
    label: 'Tidy Up',
    async run(message) {
      const tidied = message.content.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
      return tidied === message.content ? { notify: 'Nothing to tidy.' } : { replaceMessage: tidied };
    },
  });

  // Puts a follow-up question in the chat input, for the user to finish or send.
  context.registerAction({
    id: 'follow-up',
    label: 'Follow Up',
    async run(message, { log }) {
      log.info(`following up on an answer of ${message.content.length} characters`);
      return { followUp: { text: followUp, send: false } };
    },
  });
};
