/** A provider as the core calls it, with the core's own signal; the plugin receives a CallSignal made from it (providerCatalog.ts). */
import type { ChatRequest, ChatStreamEvent, ModelInfo, ModelManagement } from '../api';
import type { EmitsForPlugins } from '../plugins/answerEmitter';

export interface ProviderCalls {
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  /** `emits`: where the provider's status line and sources go during a chat answer. */
  chat(request: ChatRequest, signal: AbortSignal, emits?: EmitsForPlugins): AsyncIterable<ChatStreamEvent>;
  readonly modelManagement?: ModelManagement | undefined;
}
