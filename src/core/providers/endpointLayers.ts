/**
 * Merges endpoint declarations from user settings, the global config and workspace
 * configs. Among the user's own layers (settings, then the global file) a later one
 * replaces an earlier endpoint with the same id. A workspace may add endpoints but never
 * replace one the user set up outside it, nor a server Patchbay finds on its own: the
 * user's saved model choice would otherwise send prompts and attached code to a host the
 * workspace chose. Such an entry is refused and reported, so it can be shown at its line.
 */
import type { ProviderDeclaration } from '../config/configTypes';
import type { DeclaredEndpoint, EndpointSource } from './providerCatalog';

export interface EndpointLayer {
  source: Exclude<EndpointSource, 'discovered'>;
  providers: readonly ProviderDeclaration[];
  /** The file the layer was read from, so a refused entry can be shown there. */
  file?: string;
}

export interface RefusedEndpoint {
  id: string;
  file?: string;
  /** The entry's position in its layer's `providers:` list. */
  index: number;
  message: string;
}

export interface MergedEndpoints {
  endpoints: DeclaredEndpoint[];
  refused: RefusedEndpoint[];
}

/** Ids a workspace cannot take, each with what it already names (for the message). */
export type ReservedEndpointIds = ReadonlyMap<string, string>;

const USER_SOURCES: Record<Exclude<EndpointSource, 'discovered' | 'workspace-config'>, string> = {
  settings: 'your user settings (patchbay.endpoints)',
  'global-config': 'your global config file (~/.patchbay/config.yaml)',
};

export function mergeEndpointLayers(layers: readonly EndpointLayer[], reserved: ReservedEndpointIds = new Map()): MergedEndpoints {
  const byId = new Map<string, DeclaredEndpoint>();
  const refused: RefusedEndpoint[] = [];
  for (const layer of layers) {
    layer.providers.forEach((provider, index) => {
      if (layer.source === 'workspace-config' && provider.apiKeyEnv !== undefined) {
        refused.push({
          id: provider.id,
          index,
          ...(layer.file !== undefined ? { file: layer.file } : {}),
          message: `endpoint "${provider.id}": apiKeyEnv is allowed only in your user settings or global config (~/.patchbay/config.yaml), since a workspace could send any of your environment variables to a server it chose; this entry is ignored. Use "Patchbay: Set API Key" for its server instead.`,
        });
        return;
      }
      const taken = layer.source === 'workspace-config' ? userOwnerOf(provider.id, byId, reserved) : undefined;
      if (taken !== undefined) {
        refused.push({
          id: provider.id,
          index,
          ...(layer.file !== undefined ? { file: layer.file } : {}),
          message: `endpoint "${provider.id}" is already ${taken}; a workspace cannot replace it, so this entry is ignored. Give it another id.`,
        });
        return;
      }
      byId.delete(provider.id);
      byId.set(provider.id, {
        id: provider.id,
        label: provider.label ?? provider.id,
        type: provider.type,
        baseUrl: provider.baseUrl.replace(/\/+$/, ''),
        options: provider.options ?? {},
        source: layer.source,
        ...(provider.headers ? { headers: { ...provider.headers } } : {}),
        ...(provider.apiKeyEnv !== undefined ? { apiKeyEnv: provider.apiKeyEnv } : {}),
      });
    });
  }
  return { endpoints: [...byId.values()], refused };
}

function userOwnerOf(id: string, byId: ReadonlyMap<string, DeclaredEndpoint>, reserved: ReservedEndpointIds): string | undefined {
  const existing = byId.get(id);
  if (existing && existing.source !== 'workspace-config' && existing.source !== 'discovered') return `defined in ${USER_SOURCES[existing.source]}`;
  return reserved.get(id);
}
