/**
 * Patchbay's models as VS Code's language-model API describes them (`vscode.lm`): one entry
 * per model Patchbay lists, with an id that names its provider and model, so a request that
 * comes back through the API finds the same model. Limits the server did not tell are filled
 * with stated defaults rather than left out, since VS Code needs numbers.
 */
import type { ModelRef } from '../providers/modelRef';
import type { ProviderModels } from '../providers/providerCatalog';

/** A context window assumed when the server does not tell (what llama.cpp and Ollama start with, or more). */
export const ASSUMED_WINDOW_TOKENS = 8_192;
/** The longest answer assumed when the user set none. */
export const ASSUMED_ANSWER_TOKENS = 4_096;

export interface OfferedModel {
  /** `provider/model`: stable while both keep their names. */
  id: string;
  name: string;
  /** The model's family, from its id (`llama3.1:8b` → `llama3.1`). */
  family: string;
  /** The tag or size after `:`, when there is one. */
  version: string;
  /** The provider, shown beside the name. */
  detail: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  toolCalling: boolean;
  imageInput: boolean;
}

export interface OfferLimits {
  /** The user's answer length (patchbay.maxTokens), if set. */
  maxAnswerTokens?: number;
  /** config.yaml's `models.<id>.contextLength`, which wins over what the server lists. */
  contextLengthOf?(modelId: string): number | undefined;
  /** Whether the user turned tools off for the model (`toolCalling.models`: off). */
  toolsOff?(model: ModelRef): boolean;
}

export function offeredModels(groups: readonly ProviderModels[], limits: OfferLimits = {}): OfferedModel[] {
  const offered: OfferedModel[] = [];
  for (const group of groups) {
    if (group.problem) continue;
    for (const model of group.models) {
      const window = limits.contextLengthOf?.(model.id) ?? model.contextLength ?? ASSUMED_WINDOW_TOKENS;
      const answer = Math.min(limits.maxAnswerTokens ?? ASSUMED_ANSWER_TOKENS, Math.floor(window / 2));
      const { family, version } = familyOf(model.id);
      const ref = { providerId: group.providerId, modelId: model.id };
      offered.push({
        id: offeredId(ref),
        name: model.label ?? model.id,
        family,
        version,
        detail: group.label,
        maxInputTokens: window - answer,
        maxOutputTokens: answer,
        // A model that cannot take native tools gets them described in the prompt, as in Patchbay's chat.
        toolCalling: limits.toolsOff?.(ref) !== true,
        imageInput: false,
      });
    }
  }
  return offered;
}

export function offeredId(model: ModelRef): string {
  return `${encodeURIComponent(model.providerId)}/${model.modelId}`;
}

/** The model an offered id names; undefined for an id Patchbay never made. */
export function modelOfOfferedId(id: string): ModelRef | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { providerId: decodeURIComponent(id.slice(0, slash)), modelId: id.slice(slash + 1) };
}

function familyOf(modelId: string): { family: string; version: string } {
  const name = modelId.slice(modelId.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  const base = (colon === -1 ? name : name.slice(0, colon)).toLowerCase();
  return { family: base.replace(/\.gguf$/, ''), version: colon === -1 ? '' : name.slice(colon + 1) };
}
