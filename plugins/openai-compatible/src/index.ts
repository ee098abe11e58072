/**
 * Bundled provider plugin: any server speaking the OpenAI chat completions API.
 *
 * The `openai` package builds and sends the requests (auth, headers, its typed HTTP
 * errors), but the stream is read with the core's SSE parser rather than the package's:
 * real servers send events the package's parser rejects (back-to-back `data:` lines) and a
 * stream that ends without `[DONE]` would finish silently, while we must tell the user
 * the answer is incomplete.
 */
import OpenAI from 'openai';
import type { ChatRequest, ChatStreamEvent, EndpointConfig, EndpointServices, ModelInfo, PluginContext, ProviderInstance } from '../../../src/core/api';
import { decodeChatStream } from './chatStream';
import { toOpenAiMessages, toOpenAiTools } from './messages';
import { parseModelList } from './modelList';

export function activate(context: PluginContext): void {
  context.registerProviderType({
    type: 'openai-compatible',
    displayName: 'OpenAI-compatible server',
    localServers: [
      { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', startHint: "Start LM Studio's local server (Developer tab → Start Server, or `lms server start`)." },
      { id: 'vllm', label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', startHint: 'Start vLLM with `vllm serve <model>`.' },
      { id: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1', startHint: 'Start the llama.cpp server with `llama-server -m <model.gguf>`.' },
      { id: 'textgen', label: 'text-generation-webui', baseUrl: 'http://127.0.0.1:5000/v1', startHint: 'Start text-generation-webui with the `--api` flag.' },
    ],
    startHint: 'Check that the server is running and that the base URL (usually ending in /v1) and port are right.',
    missingModelHint: 'Load "{model}" on the server, or pick a model it lists.',
    // Requests carry `tools` and streamed tool calls come back as `toolCall` events.
    supportsTools: true,
    create: (endpoint, services) => new OpenAiCompatibleProvider(endpoint, services, context),
  });
}

class OpenAiCompatibleProvider implements ProviderInstance {
  /** Some older servers reject `stream_options`; after one such 400 we stop sending it. */
  private sendUsageOption: boolean;

  constructor(
    private readonly endpoint: EndpointConfig,
    private readonly services: EndpointServices,
    private readonly context: PluginContext,
  ) {
    this.sendUsageOption = endpoint.options['streamUsage'] !== false;
  }

  async listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    const client = await this.client();
    const response = await client.models.list({ signal }).asResponse();
    return parseModelList(await this.readJson(response));
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    const response = await this.startChat(request, signal);
    this.requireContentType(response, ['text/event-stream', 'application/json', 'text/plain']);
    if (!response.body) throw this.context.problem('wrong-endpoint', `${this.endpoint.label} answered with an empty body.`);
    yield* decodeChatStream(this.context.wire.sseJson(response.body), this.context, this.endpoint.label);
  }

  private async startChat(request: ChatRequest, signal: AbortSignal): Promise<Response> {
    const client = await this.client();
    const send = (withUsage: boolean) =>
      client.chat.completions
        .create(
          {
            model: request.model,
            messages: toOpenAiMessages(request.messages),
            stream: true,
            ...(request.tools && request.tools.length > 0 ? { tools: toOpenAiTools(request.tools) } : {}),
            ...(withUsage ? { stream_options: { include_usage: true } } : {}),
            ...(request.options.temperature !== undefined ? { temperature: request.options.temperature } : {}),
            ...(request.options.maxTokens !== undefined ? { max_tokens: request.options.maxTokens } : {}),
            ...(request.options.topP !== undefined ? { top_p: request.options.topP } : {}),
            ...(request.options.stop !== undefined && request.options.stop.length > 0 ? { stop: request.options.stop } : {}),
          },
          { signal },
        )
        .asResponse();
    if (!this.sendUsageOption) return send(false);
    try {
      return await send(true);
    } catch (error) {
      if ((error as { status?: number }).status === 400 && /stream_options/i.test(String((error as Error).message))) {
        this.context.log.info(`${this.endpoint.label} does not accept stream_options; asking again without it`);
        this.sendUsageOption = false;
        return send(false);
      }
      throw error;
    }
  }

  private async client(): Promise<OpenAI> {
    const [apiKey, headers] = await Promise.all([this.services.getApiKey(), this.services.headers()]);
    return new OpenAI({
      baseURL: this.endpoint.baseUrl,
      // The package insists on a key; local servers need none, so no header is sent then.
      apiKey: apiKey ?? 'none',
      defaultHeaders: { ...headers, ...(apiKey ? {} : { Authorization: null }) },
      // Retries are the core's job: it shows the wait and lets Stop cancel it.
      maxRetries: 0,
      fetch: this.services.fetch,
    });
  }

  private async readJson(response: Response): Promise<unknown> {
    this.requireContentType(response, ['json', 'text/plain']);
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw this.wrongEndpoint('answered with something that is not JSON');
    }
  }

  /** A 200 with an HTML page usually means the base URL misses its `/v1`. */
  private requireContentType(response: Response, accepted: string[]): void {
    const type = response.headers.get('content-type') ?? '';
    if (type !== '' && !accepted.some((item) => type.includes(item))) {
      throw this.wrongEndpoint(type.includes('html') ? 'answered with an HTML page instead of the API' : `answered with ${type} instead of the API`);
    }
  }

  private wrongEndpoint(what: string): Error {
    return this.context.problem('wrong-endpoint', `${this.endpoint.label} at ${this.endpoint.baseUrl} ${what}.`, {
      hint: 'The base URL is probably wrong: OpenAI-compatible servers usually want it to end in /v1, e.g. http://127.0.0.1:1234/v1.',
      actions: ['openConfig', 'openSettings'],
      url: this.endpoint.baseUrl,
    });
  }
}
