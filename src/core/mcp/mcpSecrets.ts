/**
 * `${secret:name}` in an MCP server's `env` or `headers`, read from the secret store when
 * the server starts, never earlier, and never written back into a definition anyone sees.
 *
 * Which stored secret a name means depends on who declared the server. The user's own
 * (global) servers share one set of names: the user wrote both the file and the secret. A
 * workspace's server gets only secrets the user set for that server — its name and, for an
 * HTTP server, its URL's origin (a stdio server: its command) — so a repository that names
 * `${secret:github-token}` in a header of a server it points anywhere gets nothing the user
 * saved for another server or origin.
 */
import type { SecretPort } from '../ports';
import { readSecret } from '../util/secretStorage';
import type { Redactor } from '../util/redactor';
import type { McpServerDefinition, McpTransportDefinition } from './mcpDefinitions';
import { SECRET_VARIABLE, secretNames } from './mcpVariables';

/** What a secret's name may be, as `${secret:name}` accepts it. */
export const MCP_SECRET_NAME = /^[A-Za-z0-9._-]+$/;

/** The names of the secrets a server's `env` or `headers` refer to, sorted, each once. */
export function referencedSecrets(server: Pick<McpServerDefinition, 'transport'>): string[] {
  const values = Object.values(server.transport.type === 'stdio' ? server.transport.env : server.transport.headers);
  return [...new Set(values.flatMap(secretNames))].sort();
}

/** The secret-store key `${secret:secretName}` of this server reads. */
export function mcpSecretKey(server: Pick<McpServerDefinition, 'name' | 'scope' | 'transport'>, secretName: string): string {
  if (server.scope === 'global') return `patchbay.mcp/${secretName}`;
  const boundTo = server.transport.type === 'stdio' ? `stdio:${server.transport.command}` : new URL(server.transport.url).origin;
  return `patchbay.mcp.workspace/${server.name}@${boundTo}/${secretName}`;
}

/** The transport with every `${secret:name}` replaced; a secret that is not set is a clear error. */
export async function withSecrets(server: McpServerDefinition, secrets: SecretPort, redactor: Redactor): Promise<McpTransportDefinition> {
  const resolveAll = async (values: Record<string, string>): Promise<Record<string, string>> => {
    const entries = await Promise.all(Object.entries(values).map(async ([key, value]) => [key, await resolve(value)] as const));
    return Object.fromEntries(entries);
  };
  const resolve = async (value: string): Promise<string> => {
    let result = value;
    for (const match of value.matchAll(SECRET_VARIABLE)) {
      const name = match[1] ?? '';
      const secret = await readSecret(secrets, mcpSecretKey(server, name), `the secret "${name}" of MCP server "${server.name}"`);
      if (secret === undefined) {
        throw new Error(
          `the secret "${name}" is not set${server.scope === 'workspace' ? ' for this workspace server' : ''}: set it with "Patchbay: Set MCP Secret" (server "${server.name}", secret "${name}")`,
        );
      }
      redactor.remember(secret);
      result = result.split(match[0]).join(secret);
    }
    return result;
  };
  const transport = server.transport;
  return transport.type === 'stdio' ? { ...transport, env: await resolveAll(transport.env) } : { ...transport, headers: await resolveAll(transport.headers) };
}
