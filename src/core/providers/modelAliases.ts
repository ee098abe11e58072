/**
 * config.yaml's `models:` section, merged from the user's file and the workspaces': defaults
 * for a model's requests by model id, and aliases (an entry with `use: provider/model`), which
 * the model picker lists under a name of their own. A workspace may add aliases and defaults,
 * but an alias of its own never takes the name of one of the user's aliases, endpoints or
 * listed models: a saved choice or a template's `model:` would otherwise send the user's
 * prompts wherever the workspace pointed the name.
 */
import type { GenerationOptions } from '../api';
import type { ModelEntry } from '../config/configTypes';
import type { ModelRef } from './modelRef';

/** A provider's models as listed now (ProviderModels, which the webview's bundle must not pull in). */
export interface ListedGroup {
  providerId: string;
  models: readonly { id: string }[];
  problem?: { message: string };
}

/** The provider id of the picker's alias group; `@` is never part of an endpoint or provider id. */
export const ALIAS_PROVIDER_ID = '@alias';

export interface ModelLayer {
  source: 'global-config' | 'workspace-config';
  models: Readonly<Record<string, ModelEntry>>;
  /** The file the layer was read from, so a problem can be shown there. */
  file?: string;
}

/** What an entry adds to each request; the user's explicit settings go over it. */
export interface ModelDefaults {
  generation: GenerationOptions;
  systemPrompt?: string;
}

export interface ModelAlias {
  name: string;
  /** As written: `provider/model`, or a model id any provider lists. */
  use: string;
  defaults: ModelDefaults;
  contextLength?: number;
  source: ModelLayer['source'];
  file?: string;
}

/** An entry refused or broken, to show at its place in its file. */
export interface ModelEntryProblem {
  name: string;
  file?: string;
  /** The key to underline inside the entry; absent: the entry itself. */
  field?: 'use';
  message: string;
}

export interface ModelEntries {
  aliases: ReadonlyMap<string, ModelAlias>;
  /** Defaults by model id (entries without `use`). */
  defaults: ReadonlyMap<string, ModelDefaults>;
  refused: ModelEntryProblem[];
}

/** Names a workspace's alias may not take: the user's endpoint ids and the models they list. */
export interface UserModelNames {
  endpointIds: ReadonlySet<string>;
  listedModelIds: ReadonlySet<string>;
}

export function mergeModelLayers(layers: readonly ModelLayer[], user: UserModelNames): ModelEntries {
  const aliases = new Map<string, ModelAlias>();
  const defaults = new Map<string, ModelDefaults>();
  const refused: ModelEntryProblem[] = [];
  for (const layer of layers) {
    for (const [name, entry] of Object.entries(layer.models)) {
      const fromWorkspace = layer.source === 'workspace-config';
      const taken = fromWorkspace ? takenName(name, entry, aliases, user) : undefined;
      if (taken !== undefined) {
        refused.push({ name, ...(layer.file !== undefined ? { file: layer.file } : {}), message: `model "${name}" ${taken}; a workspace cannot replace it, so this entry is ignored. Give it another name.` });
        continue;
      }
      if (entry.use !== undefined) {
        aliases.delete(name);
        aliases.set(name, {
          name,
          use: entry.use,
          defaults: defaultsOf(entry),
          ...(entry.contextLength !== undefined ? { contextLength: entry.contextLength } : {}),
          source: layer.source,
          ...(layer.file !== undefined ? { file: layer.file } : {}),
        });
      } else {
        const earlier = defaults.get(name);
        const mine = defaultsOf(entry);
        const systemPrompt = mine.systemPrompt ?? earlier?.systemPrompt;
        defaults.set(name, { generation: { ...earlier?.generation, ...mine.generation }, ...(systemPrompt !== undefined ? { systemPrompt } : {}) });
      }
    }
  }
  return { aliases, defaults, refused };
}

/** Why a workspace entry may not have this name (undefined: it may). */
function takenName(name: string, entry: ModelEntry, aliases: ReadonlyMap<string, ModelAlias>, user: UserModelNames): string | undefined {
  const existing = aliases.get(name);
  if (existing && existing.source !== 'workspace-config') return 'is already your alias (in your global config file)';
  if (entry.use === undefined) return undefined;
  if (user.endpointIds.has(name)) return 'is the id of one of your endpoints';
  if (user.listedModelIds.has(name)) return 'is a model one of your endpoints lists';
  return undefined;
}

function defaultsOf(entry: ModelEntry): ModelDefaults {
  const generation: GenerationOptions = {};
  if (entry.temperature !== undefined) generation.temperature = entry.temperature;
  if (entry.topP !== undefined) generation.topP = entry.topP;
  if (entry.maxTokens !== undefined) generation.maxTokens = entry.maxTokens;
  if (entry.stop !== undefined) generation.stop = [...entry.stop];
  return { generation, ...(entry.systemPrompt !== undefined && entry.systemPrompt.trim() !== '' ? { systemPrompt: entry.systemPrompt } : {}) };
}

/** The user's explicit settings over an entry's defaults: a setting left empty takes the default. */
export function withDefaults(explicit: GenerationOptions, defaults: GenerationOptions | undefined): GenerationOptions {
  const merged: GenerationOptions = { ...defaults };
  for (const [key, value] of Object.entries(explicit) as [keyof GenerationOptions, GenerationOptions[keyof GenerationOptions]][]) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

export type AliasTarget =
  | { kind: 'found'; target: ModelRef }
  /** Its provider is listed but not answering: the target cannot be checked now, and is not an error in the file. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'missing'; message: string };

/** Where an alias points, judged against the models listed now. */
export function aliasTarget(alias: ModelAlias, groups: readonly ListedGroup[]): AliasTarget {
  const slash = alias.use.indexOf('/');
  const namedGroup = slash > 0 ? groups.find((group) => group.providerId === alias.use.slice(0, slash)) : undefined;
  if (namedGroup) {
    const modelId = alias.use.slice(slash + 1);
    if (namedGroup.models.some((model) => model.id === modelId)) return { kind: 'found', target: { providerId: namedGroup.providerId, modelId } };
    if (namedGroup.problem) return { kind: 'unavailable', message: `alias "${alias.name}": "${namedGroup.providerId}" is not answering (${namedGroup.problem.message})` };
    const listed = namedGroup.models.slice(0, 5).map((model) => model.id).join(', ');
    return { kind: 'missing', message: `alias "${alias.name}": "${namedGroup.providerId}" does not list the model "${modelId}"${listed ? ` (it lists ${listed}${namedGroup.models.length > 5 ? ', …' : ''})` : ''}` };
  }
  const lister = groups.find((group) => group.models.some((model) => model.id === alias.use));
  if (lister) return { kind: 'found', target: { providerId: lister.providerId, modelId: alias.use } };
  if (slash > 0) {
    return { kind: 'missing', message: `alias "${alias.name}": there is no endpoint or provider "${alias.use.slice(0, slash)}" (or its server is not running), and no provider lists a model "${alias.use}"` };
  }
  const silent = groups.find((group) => group.problem);
  if (silent) return { kind: 'unavailable', message: `alias "${alias.name}": no provider lists the model "${alias.use}" now, and "${silent.providerId}" is not answering` };
  return { kind: 'missing', message: `alias "${alias.name}": no provider lists a model "${alias.use}"` };
}

/** The picker's line for an alias: where it goes and what it changes. */
export function aliasDetails(alias: ModelAlias): string {
  const { temperature, topP, maxTokens } = alias.defaults.generation;
  const parts = [`→ ${alias.use}`];
  if (temperature !== undefined) parts.push(`temperature ${temperature}`);
  if (topP !== undefined) parts.push(`top-p ${topP}`);
  if (maxTokens !== undefined) parts.push(`max ${maxTokens} tokens`);
  if (alias.defaults.systemPrompt !== undefined) parts.push('system prompt');
  if (alias.source === 'workspace-config') parts.push('from the workspace config');
  return parts.join(' · ');
}
