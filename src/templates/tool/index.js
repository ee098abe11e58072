// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: a tool the model may call. The model sees its name, description and the
 * JSON Schema of its parameters, and decides when to call it; what invoke() returns is
 * sent back to the model.
 * Settings are declared in package.json ("patchbay.configSchema"). Set them with
 * "Patchbay: Configure Plugin" or in .patchbay/config.yaml under plugins.config.<plugin id>.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Settings arrive checked against the schema, with its defaults filled in. The plugin
  // reloads when they change, so reading them once here is enough.
  const ignoreCase = context.config.ignoreCase !== false;
  const minWordLength = Number(context.config.minWordLength ?? 1);

  context.registerTool({
    // Letters, digits, _ and - only: this is the name model APIs see.
    name: 'count_words',
    description: 'Counts the words in a text and lists the most common ones.',
    parameters: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'The text to count the words of.' },
        top: { type: 'integer', minimum: 0, maximum: 50, description: 'How many of the most common words to list (default 5).' },
      },
      required: ['text'],
      additionalProperties: false,
    },

    // `signal` is aborted when the user presses Stop or the call times out: check it in
    // long loops, and pass it on to fetch(url, { signal }) and other cancellable calls.
    async invoke(args, { signal, log }) {
      const text = String(args.text ?? '');
      const top = typeof args.top === 'number' ? args.top : 5;
      /** @type {Map<string, number>} */
      const counts = new Map();
      let words = 0;
      for (const raw of text.split(/\s+/)) {
        if (words % 1000 === 0) signal.throwIfAborted();
        const word = raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
        if (word.length < minWordLength) continue;
        const key = ignoreCase ? word.toLowerCase() : word;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        words += 1;
      }
      log.info(`counted ${words} words`);
      const mostCommon = [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, top)
        .map(([word, count]) => ({ word, count }));
      // Anything JSON can carry may be returned; a string is sent as is.
      return { words, distinctWords: counts.size, mostCommon };
    },
  });
};
