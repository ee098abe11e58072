/**
 * Model servers that may be running on their default ports. Each provider type declares
 * the local servers it knows; the model directory tries to list their models with a short
 * timeout and offers those that answer, with no configuration needed.
 */
import type { EndpointConfig, LocalServerHint } from '../api';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import { sameBaseUrl } from '../util/url';
import type { DeclaredEndpoint } from './providerCatalog';

/** Every local server the provider types look for on a default port. */
export function localServerHints(registry: ContributionRegistry): LocalServerHint[] {
  return registry.providerTypes().flatMap(({ definition }) => definition.localServers ?? []);
}

export function localServerCandidates(registry: ContributionRegistry, alreadyDeclared: readonly EndpointConfig[]): DeclaredEndpoint[] {
  return registry.providerTypes().flatMap(({ definition }) =>
    (definition.localServers ?? [])
      .filter((hint) => !alreadyDeclared.some((endpoint) => endpoint.id === hint.id || sameBaseUrl(endpoint.baseUrl, hint.baseUrl)))
      .map((hint): DeclaredEndpoint => ({
        id: hint.id,
        label: hint.label,
        type: definition.type,
        baseUrl: hint.baseUrl,
        options: {},
        source: 'discovered',
      })),
  );
}

/**
 * Endpoint ids a workspace config cannot take: the local servers Patchbay finds on its own
 * and the providers the user's own (not the workspace's) plugins register.
 */
export function reservedEndpointIds(registry: ContributionRegistry, isWorkspacePlugin: (pluginId: string) => boolean): Map<string, string> {
  const reserved = new Map<string, string>();
  for (const { definition } of registry.providerTypes()) {
    for (const hint of definition.localServers ?? []) reserved.set(hint.id, `the ${hint.label} server that Patchbay finds on its own`);
  }
  for (const { owner, definition } of registry.standaloneProviders()) {
    if (!isWorkspacePlugin(owner)) reserved.set(definition.id, `the provider of your plugin "${owner}"`);
  }
  return reserved;
}
