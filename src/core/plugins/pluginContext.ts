/**
 * The context a plugin's `activate` receives. Every registration is recorded so unloading
 * removes it, and refused once the plugin is no longer the loaded one: a plugin that keeps
 * registering after it was unloaded or reloaded would otherwise leave things behind.
 */
import type { PluginContext, PluginLogger, PluginServices } from '../api';
import { PatchbayError } from '../errors';
import { ndjson } from '../streaming/ndjson';
import { sseJson } from '../streaming/sseJson';
import type { DisposableStore } from '../util/disposables';
import type { ContributionRegistry } from './contributionRegistry';
import type { PluginRuntimeDeps } from './pluginRuntimeDeps';
import type { SecretOwner } from './pluginSecrets';

export function createPluginContext(
  registry: ContributionRegistry,
  secret: PluginRuntimeDeps['secret'],
  owner: SecretOwner,
  log: PluginLogger,
  config: Record<string, unknown>,
  signal: AbortSignal,
  registrations: DisposableStore,
  current: () => boolean,
  services: PluginServices = unavailableServices,
): PluginContext {
  const pluginId = owner.id;
  const register = <T>(add: () => T & { dispose(): void }): T & { dispose(): void } => {
    if (signal.aborted || !current()) throw new Error(`plugin "${pluginId}" is no longer active and cannot register anything`);
    return registrations.add(add());
  };
  return {
    pluginId,
    log,
    config: Object.freeze({ ...config }),
    secrets: { get: async (key) => (secret ? secret(owner, key) : undefined) },
    wire: { sseJson, ndjson },
    registerProviderType: (definition) => register(() => registry.register('providerType', pluginId, definition)),
    registerProvider: (definition) => register(() => registry.register('provider', pluginId, definition)),
    registerTool: (definition) => register(() => registry.register('tool', pluginId, definition)),
    registerFilter: (definition) => register(() => registry.register('filter', pluginId, definition)),
    registerAction: (definition) => register(() => registry.register('action', pluginId, definition)),
    registerCommand: (definition) => register(() => registry.register('command', pluginId, definition)),
    registerPromptTemplate: (definition) => register(() => registry.register('promptTemplate', pluginId, definition)),
    registerContextProvider: (definition) => register(() => registry.register('contextProvider', pluginId, definition)),
    services,
    registerTemplateLoader: (definition) => register(() => registry.register('templateLoader', pluginId, definition)),
    problem: (kind, message, details) => new PatchbayError(kind, message, details),
  };
}

/** Where no editor is around (a test's runtime, a tool server): each port says so when used. */
export const unavailableServices: PluginServices = {
  workspace: {
    gitDiff: () => Promise.reject(new Error('the workspace\'s git diff is not available here (no editor)')),
    proposeEdit: () => Promise.reject(new Error('proposing edits is not available here (no editor)')),
    readFile: () => Promise.reject(new Error('reading the workspace is not available here (no editor)')),
    listFiles: () => Promise.reject(new Error('reading the workspace is not available here (no editor)')),
    searchText: () => Promise.reject(new Error('reading the workspace is not available here (no editor)')),
    getProblems: () => Promise.reject(new Error('the editor\'s problems are not available here (no editor)')),
    getSelection: () => Promise.reject(new Error('the editor\'s selection is not available here (no editor)')),
  },
  web: { fetchPage: () => Promise.reject(new Error('fetching pages is not available here')) },
};
