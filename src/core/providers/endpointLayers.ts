/**
 * Merges endpoint declarations from user settings, the global config and workspace
 * configs. A later layer replaces an earlier endpoint with the same id, so a workspace can
 * adjust what the user declared globally.
 */
import type { ProviderDeclaration } from '../config/configTypes';
import type { DeclaredEndpoint, EndpointSource } from './providerCatalog';

export interface EndpointLayer {
  source: Exclude<EndpointSource, 'discovered'>;
  providers: readonly ProviderDeclaration[];
}

export function mergeEndpointLayers(layers: readonly EndpointLayer[]): DeclaredEndpoint[] {
  const byId = new Map<string, DeclaredEndpoint>();
  for (const layer of layers) {
    for (const provider of layer.providers) {
      byId.delete(provider.id);
      byId.set(provider.id, {
        id: provider.id,
        label: provider.label ?? provider.id,
        type: provider.type,
        baseUrl: provider.baseUrl.replace(/\/+$/, ''),
        options: provider.options ?? {},
        source: layer.source,
      });
    }
  }
  return [...byId.values()];
}
