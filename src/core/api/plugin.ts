/**
 * The plugin module contract and the context a plugin's `activate` receives.
 */
import type { ProblemDetails, ProblemKind } from '../errors';
import type { ChatRequest, ChatStreamEvent, ModelInfo, PluginLogger, ProviderTypeDefinition } from './providers';

export interface Disposable {
  dispose(): void;
}

/** What a plugin file or a plugin folder's entry file exports. */
export interface PatchbayPluginModule {
  activate(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}

/** A provider that needs no endpoint configuration: the plugin itself knows where to go. */
export interface StandaloneProviderDefinition {
  /** Unique among providers; shown in the model picker's group. */
  id: string;
  label: string;
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamEvent>;
}

/** One `data:` payload of a server-sent event stream, already parsed as JSON. */
export type SseJsonItem = { kind: 'data'; value: unknown } | { kind: 'done' };

/** Byte-level parsing the core does for plugins, robust to the quirks real servers have. */
export interface WireHelpers {
  /**
   * JSON payloads of an SSE stream (`data: ...` events), tolerant of missing spaces, CRLF,
   * comments, events without blank lines between them and chunks split at any byte.
   * `[DONE]` arrives as `{ kind: 'done' }`.
   */
  sseJson(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncIterable<SseJsonItem>;
  /** One JSON value per non-empty line. */
  ndjson(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncIterable<unknown>;
}

export interface PluginContext {
  readonly pluginId: string;
  /** Writes to the Patchbay output channel under the plugin's name. */
  readonly log: PluginLogger;
  readonly wire: WireHelpers;
  /** Registers a kind of server that endpoints in config.yaml can name with `type:`. */
  registerProviderType(definition: ProviderTypeDefinition): Disposable;
  /** Registers a provider that needs no endpoint. */
  registerProvider(definition: StandaloneProviderDefinition): Disposable;
  /**
   * Makes an error the chat shows as it is, with a hint and recovery buttons. Anything else a
   * plugin throws is classified by the core (HTTP status, connection failure...).
   */
  problem(kind: ProblemKind, message: string, details?: ProblemDetails): Error;
}
