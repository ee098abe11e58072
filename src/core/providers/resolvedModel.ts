/** A model ready to answer: its provider instance and how to explain its failures. */
import type { ProviderCalls } from './providerCalls';
import type { FailureContext } from './classifyError';
import type { ModelDefaults } from './modelAliases';

export interface ResolvedModel {
  modelId: string;
  /** The plugin whose code answers, so a bug in it can mark it failed. */
  pluginId?: string;
  provider: Pick<ProviderCalls, 'chat'>;
  failureContext: FailureContext;
  /** "model · provider" as shown to the user. */
  label: string;
  /** config.yaml's defaults for the model (or the alias it was chosen by); explicit settings go over them. */
  defaults?: ModelDefaults;
}
