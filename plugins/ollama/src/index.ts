/**
 * Bundled provider plugin: Ollama's native API (`/api/chat`, `/api/tags`, `/api/show`)
 * through the `ollama` package. Unlike Ollama's OpenAI-compatible endpoint, the native API
 * lets us send each request's context window (`num_ctx`) and read the model's limit. The chat
 * itself is sent and read without the package (see chatRequest.ts).
 */
import { Ollama, type ChatResponse, type Message } from 'ollama/browser';
import { postChat } from './chatRequest';
import type { ChatMessage, ChatRequest, ChatStreamEvent, ModelManagement, EndpointConfig, EndpointServices, ModelInfo, PluginContext, ProviderInstance } from '../../../src/core/api';
import { chooseContextWindow, estimateTokens } from './contextWindow';
import { contextLengthOf, describeModel } from './modelFacts';

/** Room an image takes in the window: a few hundred tokens for most vision models; the estimate leans high. */
const IMAGE_TOKENS = 1000;
/** Room left for the answer when the user set no maximum. */
const DEFAULT_ANSWER_TOKENS = 2048;

export function activate(context: PluginContext): void {
  context.registerProviderType({
    type: 'ollama',
    displayName: 'Ollama',
    localServers: [{ id: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434', startHint: 'Start Ollama (open the Ollama app, or run `ollama serve`).' }],
    startHint: 'Check that Ollama is running and that the base URL (without /v1, e.g. http://127.0.0.1:11434) is right.',
    missingModelHint: 'Download it with `ollama pull {model}`, or pick a model Ollama lists.',
    // Requests carry `tools` and streamed tool calls come back as `toolCall` events.
    supportsTools: true,
    create: (endpoint, services) => new OllamaProvider(endpoint, services, context),
  });
}

class OllamaProvider implements ProviderInstance {
  private readonly contextLengths = new Map<string, Promise<number | undefined>>();

  readonly modelManagement: ModelManagement = {
    pull: async (name, onProgress, signal) => {
      const stream = await (await this.client(signal)).pull({ model: name, stream: true });
      const abort = () => stream.abort();
      signal.addEventListener('abort', abort, { once: true });
      try {
        for await (const part of stream) {
          onProgress({ status: part.status, ...(typeof part.total === 'number' ? { total: part.total } : {}), ...(typeof part.completed === 'number' ? { completed: part.completed } : {}) });
        }
      } finally {
        signal.removeEventListener('abort', abort);
      }
    },
    delete: async (name, signal) => {
      await (await this.client(signal)).delete({ model: name });
    },
    details: async (name, signal) => {
      const shown = await (await this.client(signal)).show({ model: name });
      const facts: Record<string, string> = {};
      const add = (label: string, value: unknown) => {
        if (typeof value === 'string' ? value !== '' : typeof value === 'number') facts[label] = String(value);
      };
      add('Family', shown.details?.family);
      add('Parameters', shown.details?.parameter_size);
      add('Quantization', shown.details?.quantization_level);
      add('Format', shown.details?.format);
      const contextLength = contextLengthOf(shown.model_info);
      if (contextLength !== undefined) add('Context length', contextLength.toLocaleString('en-US'));
      if (Array.isArray(shown.capabilities)) add('Capabilities', shown.capabilities.join(', '));
      return facts;
    },
  };

  constructor(
    private readonly endpoint: EndpointConfig,
    private readonly services: EndpointServices,
    private readonly context: PluginContext,
  ) {}

  async listModels(signal: AbortSignal): Promise<ModelInfo[]> {
    const client = await this.client(signal);
    const { models } = await client.list();
    // Each model's window and abilities come from /api/show: a few at a time, and a model
    // whose details cannot be read is still listed.
    const facts = await mapLimited(models, 4, (model) => client.show({ model: model.name }).catch(() => undefined));
    return models.map((model, index) => {
      const info: ModelInfo = { id: model.name };
      const shown = facts[index];
      const contextLength = contextLengthOf(shown?.model_info);
      const details = describeModel(model.details, contextLength);
      if (details) info.details = details;
      if (contextLength !== undefined) {
        info.contextLength = contextLength;
        this.contextLengths.set(model.name, Promise.resolve(contextLength));
      }
      if (Array.isArray(shown?.capabilities)) info.capabilities = { tools: shown.capabilities.includes('tools'), vision: shown.capabilities.includes('vision') };
      return info;
    });
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    const modelLimit = await this.contextLength(request.model, signal);
    const imageCount = request.messages.reduce((sum, message) => sum + (message.images?.length ?? 0), 0);
    const promptTokens = estimateTokens(request.messages.map((message) => message.content).join('\n')) + imageCount * IMAGE_TOKENS;
    const options = request.options;
    const response = await postChat(this.services.fetch, this.endpoint.baseUrl, {
      model: request.model,
      messages: toOllamaMessages(request.messages),
      stream: true,
      ...(request.tools && request.tools.length > 0
        ? { tools: request.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } })) }
        : {}),
      options: {
        num_ctx: chooseContextWindow(promptTokens, options.maxTokens ?? DEFAULT_ANSWER_TOKENS, modelLimit),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.topP !== undefined ? { top_p: options.topP } : {}),
        ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
        ...(options.stop !== undefined && options.stop.length > 0 ? { stop: options.stop } : {}),
      },
    }, await this.requestHeaders(), signal);
    if (!response.body) throw this.context.problem('wrong-endpoint', `${this.endpoint.label} answered with an empty body.`, { actions: ['openConfig'] });
    let last: ChatResponse | undefined;
    let calls = 0;
    for await (const value of this.context.wire.ndjson(response.body)) {
      if (typeof value !== 'object' || value === null) continue;
      const part = value as ChatResponse & { error?: unknown };
      if (part.error !== undefined) {
        const message = typeof part.error === 'string' ? part.error : JSON.stringify(part.error);
        throw this.context.problem('server', `${this.endpoint.label} reported an error while answering: ${message}`, {
          hint: "Ollama's log usually says more (`ollama serve` output, or ~/.ollama/logs/server.log).",
          actions: ['retry', 'showLogs'],
        });
      }
      last = part;
      // Ollama sends each tool call whole, without an id.
      for (const call of part.message?.tool_calls ?? []) {
        yield { type: 'toolCall', call: { id: `call_${++calls}`, name: call.function.name, arguments: JSON.stringify(call.function.arguments ?? {}) } };
      }
      yield* eventsOf(part);
      if (part.done) return;
    }
    // Newer servers may end with `done_reason` but no `done`: the answer is whole.
    if (last?.done_reason) {
      yield* finalEventsOf(last);
      return;
    }
    throw this.context.problem('interrupted', `The stream from ${this.endpoint.label} ended before Ollama said the answer was finished.`, {
      hint: 'Retry to ask again.',
      actions: ['retry', 'showLogs'],
    });
  }

  /** The model's context window from `/api/show`, asked once per model. */
  private contextLength(model: string, signal: AbortSignal): Promise<number | undefined> {
    let known = this.contextLengths.get(model);
    if (!known) {
      known = this.client(signal)
        .then((client) => client.show({ model }))
        .then((shown) => contextLengthOf(shown.model_info))
        .catch((error: unknown) => {
          this.contextLengths.delete(model);
          // A missing model is reported by the chat request itself, with Ollama's words.
          this.services.log.warn(`could not read the context length of ${model}: ${String(error)}`);
          return undefined;
        });
      this.contextLengths.set(model, known);
    }
    return known;
  }

  private async client(signal: AbortSignal): Promise<Ollama> {
    const headers = await this.requestHeaders();
    const baseFetch = this.services.fetch;
    return new Ollama({
      host: this.endpoint.baseUrl,
      // One client per call, tied to this call's signal: the package's own abort() would
      // abort every stream of a shared client.
      fetch: (input, init) => baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
      headers,
    });
  }

  /** The endpoint's configured headers, and the API key's Authorization when there is a key. */
  private async requestHeaders(): Promise<Record<string, string>> {
    const [apiKey, headers] = await Promise.all([this.services.getApiKey(), this.services.headers()]);
    return { ...headers, ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function toOllamaMessages(messages: readonly ChatMessage[]): Message[] {
  return messages.map((message): Message => {
    if (message.role === 'tool') return { role: 'tool', content: message.content, ...(message.name ? { tool_name: message.name } : {}) };
    if (message.role === 'assistant' && message.toolCalls?.length) {
      return { role: 'assistant', content: message.content, tool_calls: message.toolCalls.map((call) => ({ function: { name: call.name, arguments: parseArguments(call.arguments) } })) };
    }
    // Ollama's own form: base64 strings without a data: prefix, on the message.
    if (message.role === 'user' && message.images?.length) return { role: 'user', content: message.content, images: message.images.map((image) => image.data) };
    return { role: message.role, content: message.content };
  });
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function* eventsOf(part: ChatResponse): Generator<ChatStreamEvent> {
  const thinking = part.message?.thinking;
  if (typeof thinking === 'string' && thinking !== '') yield { type: 'reasoning', text: thinking };
  const content = part.message?.content;
  if (typeof content === 'string' && content !== '') yield { type: 'text', text: content };
  if (part.done) yield* finalEventsOf(part);
}

function* finalEventsOf(part: ChatResponse): Generator<ChatStreamEvent> {
  yield {
    type: 'usage',
    ...(typeof part.prompt_eval_count === 'number' ? { inputTokens: part.prompt_eval_count } : {}),
    ...(typeof part.eval_count === 'number' ? { outputTokens: part.eval_count } : {}),
  };
  yield { type: 'finish', reason: part.done_reason || 'stop' };
}
