import path from 'node:path';
import type { ToolDefinition } from '../../../src/core/api';
import type { PluginCandidate } from '../../../src/core/plugins/discovery';
import { defaultResponseLimits, type ToolCallOptions } from '../../../src/core/openapi/httpCall';
import { loadText, prepareOpenApiPlugin, type DeclaredSpec, type PreparedOpenApiPlugin } from '../../../src/core/openapi/openApiPlugin';
import { silentLogger } from '../../../src/core/ports';

export const examples = path.resolve(__dirname, '../../../node_modules/@readme/oas-examples');
export const githubSpec = path.resolve(__dirname, '../../../node_modules/@octokit/openapi/generated/api.github.com.json');

export function specCandidate(location: string, declared: Partial<DeclaredSpec> = {}): PluginCandidate {
  return { id: 'api', displayName: 'api', source: 'global', kind: 'openapi', location, entryPath: location, declaredSpec: { spec: location, ...declared } };
}

/**
 * Prepares a spec and activates it with the given settings, returning the tools it registers;
 * `callOptions` can give the tool calls a resolver, so tests never use real DNS.
 */
export async function toolsOf(
  candidate: PluginCandidate,
  config: Record<string, unknown> = {},
  callOptions: ToolCallOptions = defaultResponseLimits,
): Promise<{ prepared: PreparedOpenApiPlugin; tools: ToolDefinition[] }> {
  const prepared = await prepareOpenApiPlugin(candidate, loadText, callOptions);
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
