/**
 * Model servers that may be running on their default ports. Each provider type declares
 * the local servers it knows; the model directory tries to list their models with a short
 * timeout and offers those that answer, with no configuration needed.
 */
import type { EndpointConfig } from '../api';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import { sameBaseUrl } from '../util/url';
import type { DeclaredEndpoint } from './providerCatalog';

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
