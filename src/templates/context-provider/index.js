// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: a context provider. Typing `@` in the chat lists `@todo`; choosing it and typing
 * a query (here: a word to look for) adds a context chip, whose text goes to the model with
 * the next question. "Add Context → Context Provider…" does the same from the menu.
 * Settings are declared in package.json ("patchbay.configSchema"). Set them with
 * "Patchbay: Configure Plugin" or in .patchbay/config.yaml under plugins.config.<plugin id>.
 */

/** The "notes" this example reads; a real provider would read an issue tracker, a wiki… */
const NOTES = [
  'TODO: cache the model list between refreshes',
  'FIXME: the status bar flickers while models load',
  'TODO: let a filter see tool results',
  'Remember: answers stream as markdown',
];

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  const markers = /** @type {string[]} */ (Array.isArray(context.config.markers) ? context.config.markers : ['TODO', 'FIXME']);
  /** @param {string} query */
  const matching = (query) =>
    NOTES.filter((note) => markers.some((marker) => note.startsWith(`${marker}:`)) && note.toLowerCase().includes(query.toLowerCase()));

  context.registerContextProvider({
    // Typed after "@": letters, digits, - and _.
    name: 'todo',
    description: 'The TODO and FIXME notes that mention a word',
    // With a hint, choosing @todo waits for a query; without one it resolves at once with ''.
    queryHint: 'a word to look for (empty: all notes)',

    // Suggestions while the query is typed (it has 10 s; a failure just shows none).
    complete(query) {
      return matching(query).map((note) => ({ query: note.split(': ')[1] ?? note, label: note }));
    },

    // The chip: a title, and the text the model reads. `signal` is aborted on timeout (30 s).
    async resolve(query, { signal, log }) {
      signal.throwIfAborted();
      const notes = matching(query);
      // An error thrown here is shown to the user as it is; nothing they typed is lost.
      if (notes.length === 0) throw new Error(`no note mentions "${query}"`);
      log.info(`${notes.length} notes for "${query}"`);
      return { title: query === '' ? 'All notes' : `Notes about ${query}`, language: 'markdown', text: notes.map((note) => `- ${note}`).join('\n') };
    },
  });
};
