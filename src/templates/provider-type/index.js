// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: a provider type. It adds no models by itself; each endpoint in config.yaml
 * whose `type:` names it becomes a provider in the model picker:
 *
 *   providers:
 *     - id: my-server
 *       type: my-plugin
 *       baseUrl: http://127.0.0.1:8000/v1
 *
 * This one speaks the OpenAI chat API (GET /models, POST /chat/completions with streaming);
 * change the two functions below for the API of your server.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  context.registerProviderType({
    type: 'my-plugin',
    displayName: 'My plugin',
    // Shown when the server cannot be reached.
    startHint: 'Start your server, then press Refresh Models.',
    // `{model}` is replaced by the model that was asked for.
    missingModelHint: 'The server has no model "{model}". Pick one it lists.',

    // Called once per endpoint (and again when its config changes).
    create: (endpoint, services) => ({
      async listModels(signal) {
        const response = await services.fetch(`${endpoint.baseUrl}/models`, { signal, headers: await requestHeaders(services) });
        // Throw what fetch gives: the core turns statuses and connection errors into clear messages.
        if (!response.ok) throw Object.assign(new Error(await response.text()), { status: response.status });
        const body = /** @type {{ data?: { id: string }[] }} */ (await response.json());
        return (body.data ?? []).map((model) => ({ id: model.id }));
      },

      async *chat(request, signal) {
        const response = await services.fetch(`${endpoint.baseUrl}/chat/completions`, {
          method: 'POST',
          signal,
          headers: { 'content-type': 'application/json', ...(await requestHeaders(services)) },
          body: JSON.stringify({
            model: request.model,
            stream: true,
            messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
            ...(request.options.temperature !== undefined ? { temperature: request.options.temperature } : {}),
            ...(request.options.maxTokens !== undefined ? { max_tokens: request.options.maxTokens } : {}),
          }),
        });
        if (!response.ok || !response.body) throw Object.assign(new Error(await response.text()), { status: response.status });
        // The core parses the server-sent events, whatever their quirks.
        for await (const item of context.wire.sseJson(response.body)) {
          if (item.kind === 'done') break;
          if (item.kind === 'error') throw new Error(item.message);
          const choice = /** @type {{ choices?: { delta?: { content?: string }, finish_reason?: string | null }[] }} */ (item.value).choices?.[0];
          if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
          if (choice?.finish_reason) yield { type: 'finish', reason: choice.finish_reason };
        }
      },
    }),
  });
};

/**
 * The endpoint's `headers:` from config.yaml and its API key (set with "Patchbay: Set API Key").
 * @param {import('./patchbay-plugin').EndpointServices} services
 */
async function requestHeaders(services) {
  const key = await services.getApiKey();
  return { ...(await services.headers()), ...(key ? { authorization: `Bearer ${key}` } : {}) };
}
