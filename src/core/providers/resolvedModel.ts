/** A model ready to answer: its provider instance and how to explain its failures. */
import type { ProviderCalls } from './providerCalls';
import type { FailureContext } from './classifyError';

export interface ResolvedModel {
  modelId: string;
  /** The plugin whose code answers, so a bug in it can mark it failed. */
  pluginId?: string;
  provider: Pick<ProviderCalls, 'chat'>;
  failureContext: FailureContext;
  /** "model · provider" as shown to the user. */
  label: string;
}
