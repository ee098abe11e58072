import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import type { PluginCandidate } from '../../../src/core/plugins/discovery';
import { prepareOpenApiPlugin, type DeclaredSpec, type PreparedOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { silentLogger } from '../../../src/core/ports';

export const examples = path.resolve(__dirname, '../../../node_modules/@readme/oas-examples');
export const githubSpec = path.resolve(__dirname, '../../../node_modules/@octokit/openapi/generated/api.github.com.json');

export function specCandidate(location: string, declared: Partial<DeclaredSpec> = {}): PluginCandidate {
  return { id: 'api', displayName: 'api', source: 'global', kind: 'openapi', location, entryPath: location, declaredSpec: { spec: location, ...declared } };
}

/** Prepares a spec and activates it with the given settings, returning the tools it registers. */
export async function toolsOf(candidate: PluginCandidate, config: Record<string, unknown> = {}): Promise<{ prepared: PreparedOpenApiPlugin; tools: ToolDefinition[] }> {
  const prepared = await prepareOpenApiPlugin(candidate);
  const tools: ToolDefinition[] = [];
  prepared.activate({
    pluginId: candidate.id,
    config,
    log: silentLogger,
    registerTool: (tool: ToolDefinition) => {
      tools.push(tool);
      return { dispose: () => undefined };
    },
  } as never);
  return { prepared, tools };
}
