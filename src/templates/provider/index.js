// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: a standalone provider. It needs no server and no entry in config.yaml:
 * its models appear in the chat's model picker under "My plugin" as soon as it loads.
 * Replace the body of chat() with calls to your own model.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Everything registered here is removed again when the plugin unloads or reloads.
  context.registerProvider({
    id: 'my-plugin',
    label: 'My plugin',

    // The models to list. Called when the model list is refreshed.
    listModels: async () => [{ id: 'echo', label: 'Echo', details: 'repeats your last message' }],

    // Tools: this provider does not declare `supportsTools: true`, so it never receives
    // `request.tools`; Patchbay describes the tools in the system message instead, and
    // takes <tool_call>{"name": ..., "arguments": {...}}</tool_call> blocks out of the text
    // you yield. If your model API calls tools itself, add `supportsTools: true`, send
    // `request.tools` ({ name, description, parameters }) to it, and yield each complete
    // call as { type: 'toolCall', call: { id, name, arguments } } (arguments: JSON text).
    // The results come back as messages with role 'tool' (toolCallId, name) after an
    // assistant message with `toolCalls`.

    // Streams one answer. Yield its text in pieces as they become available; returning
    // means the answer is complete. `signal` is aborted when the user presses Stop; it is
    // an AbortSignal that also has `signal.log` (write to the Patchbay log), so
    // `chat(request, { signal, log })` works too.
    async *chat(request, signal) {
      const question = request.messages.filter((message) => message.role === 'user').pop()?.content ?? '';
      const answer = question.trim() === '' ? 'Say something and I will repeat it.' : `You said: ${question}`;
      for (const piece of answer.split(/(?<=\s)/)) {
        if (signal.aborted) return; // Stopped: end quietly, the chat keeps what it has.
        yield { type: 'text', text: piece };
        await pause(30, signal);
      }
      yield { type: 'finish', reason: 'stop' };
    },
  });
};

/**
 * Waits `ms` milliseconds, or less when `signal` is aborted (so Stop is instant).
 * @param {number} ms
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function pause(ms, signal) {
  return new Promise((resolve) => {
    // Stop may have come while the answer waited at a yield: then there is nothing to wait for.
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
