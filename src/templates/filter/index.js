// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: a filter. Filters see each chat request before it goes to the model
 * (inlet), each piece of the answer as it streams in (stream), and the finished answer
 * (outlet). Any of the three may be left out.
 * Settings are declared in package.json ("patchbay.configSchema"). Set them with
 * "Patchbay: Configure Plugin" or in .patchbay/config.yaml under plugins.config.<plugin id>.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Settings arrive checked against the schema, with its defaults filled in. The plugin
  // reloads when they change, so reading them once here is enough.
  const systemMessage = String(context.config.systemMessage ?? '');
  const hideReasoning = context.config.hideReasoning === true;

  context.registerFilter({
    id: 'main',

    // Before the request goes to the provider: change it in place (or return a new one).
    // Here: add the system message, to the existing one if the request has one.
    inlet(request) {
      if (systemMessage === '') return;
      const first = request.messages[0];
      if (first && first.role === 'system') first.content = `${first.content}\n\n${systemMessage}`;
      else request.messages.unshift({ role: 'system', content: systemMessage });
    },

    // Each streamed piece of the answer: return it (changed or not), an array of pieces,
    // or null to drop it. This runs for every token, so keep it quick and synchronous.
    stream(event) {
      if (hideReasoning && event.type === 'reasoning') return null;
      return event;
    },

    // The finished answer, before it is saved: change it in place (or return a new one).
    outlet(answer, { log }) {
      if (hideReasoning) answer.reasoning = '';
      log.info(`${answer.model} answered with ${answer.content.length} characters`);
    },
  });
};
