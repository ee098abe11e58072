/**
 * Specs listed under `tools:` in a config file become OpenAPI plugin candidates, so they load,
 * fail, reload and show in the Plugins view exactly like an `ai-plugin.json` folder.
 */
import path from 'node:path';
import type { ToolSpecDeclaration } from '../config/configTypes';
import type { DeclaredSpec, PluginCandidate, PluginSource } from '../plugins/pluginCandidate';

export function declaredSpecCandidates(entries: readonly ToolSpecDeclaration[], configFolder: string, source: PluginSource): PluginCandidate[] {
  return entries.map((entry) => {
    const remote = /^https?:\/\//i.test(entry.openapi);
    const location = remote ? entry.openapi : path.resolve(configFolder, entry.openapi);
    const fileName = remote ? new URL(entry.openapi).pathname.split('/').filter(Boolean).at(-1) ?? 'api' : path.basename(location);
    const id = entry.id ?? (fileName.replace(/\.(ya?ml|json)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'api');
    const declaredSpec: DeclaredSpec = { spec: entry.openapi };
    if (entry.baseUrl) declaredSpec.baseUrl = entry.baseUrl;
    if (entry.auth) {
      declaredSpec.auth = entry.auth.type === 'apiKey'
        ? { type: 'apiKey', in: entry.auth.in ?? 'header', name: entry.auth.name ?? 'X-API-Key' }
        : { type: entry.auth.type };
    }
    return { id, displayName: id, description: `OpenAPI spec from config.yaml: ${entry.openapi}`, source, kind: 'openapi', location, entryPath: location, declaredSpec };
  });
}
