/**
 * The provider part of Patchbay's plugin API. Everything here is part of the public
 * contract documented in the README; bundled providers use exactly these types.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Generation options a user sets; a provider passes on the ones its server understands. */
export interface GenerationOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
}

export interface ChatRequest {
  /** The model id as the provider listed it. */
  model: string;
  messages: ChatMessage[];
  options: GenerationOptions;
}

/**
 * What a provider yields while streaming. A provider that ends its iterator has finished
 * the answer; when the server's stream stops early it must throw instead (the core marks the
 * partial answer incomplete and offers Retry).
 */
export type ChatStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'usage'; inputTokens?: number; outputTokens?: number }
  | { type: 'finish'; reason: string };

export interface ModelInfo {
  id: string;
  /** Shown in the picker; defaults to the id. */
  label?: string;
  /** The model's context window in tokens, when the server tells. */
  contextLength?: number;
  /** Extra facts for the picker tooltip (family, size, quantization...). */
  details?: string;
}

export interface ProviderInstance {
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamEvent>;
  /** Called when the endpoint is removed or the plugin unloads. */
  dispose?(): void;
}

/** One configured (or discovered) server a provider type talks to. */
export interface EndpointConfig {
  id: string;
  label: string;
  type: string;
  baseUrl: string;
  /** Provider-specific extras from config.yaml (`options:`), passed through untouched. */
  options: Record<string, unknown>;
}

/** What the core gives a provider instance: it never reads keys or settings itself. */
export interface EndpointServices {
  /** The API key saved for this endpoint's origin, if any (never a key saved for another origin). */
  getApiKey(): Promise<string | undefined>;
  /** `fetch` that the core can watch and cancel; pass it to HTTP clients. */
  fetch: typeof fetch;
  log: PluginLogger;
}

/** A well-known local server the core should probe without configuration. */
export interface LocalServerHint {
  id: string;
  label: string;
  baseUrl: string;
  /** How to start that server; shown when it cannot be reached. */
  startHint: string;
}

export interface ProviderTypeDefinition {
  /** The value of `type:` in config.yaml, e.g. `openai-compatible`. */
  type: string;
  displayName: string;
  /** Default ports to probe. Probing calls `listModels` with a short timeout. */
  localServers?: LocalServerHint[];
  /** Hint for a connection failure on an endpoint that is not one of `localServers`. */
  startHint?: string;
  /** Hint for a model the server does not have. `{model}` is replaced. */
  missingModelHint?: string;
  create(endpoint: EndpointConfig, services: EndpointServices): ProviderInstance;
}

export interface PluginLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
