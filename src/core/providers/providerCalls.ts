/** A provider as the core calls it, with the core's own signal; the plugin receives a CallSignal made from it (providerCatalog.ts). */
import type { ChatRequest, ChatStreamEvent, ModelInfo, ModelManagement } from '../api';

export interface ProviderCalls {
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamEvent>;
  readonly modelManagement?: ModelManagement | undefined;
}
