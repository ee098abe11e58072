/**
 * `${…}` variables in an MCP server's declaration. `${workspaceFolder}` is the folder the
 * declaring file belongs to (for the global file: the first workspace folder).
 * `${env:NAME}` reads the user's environment and is allowed in the global file only: a
 * workspace must not be able to copy, say, a token from the user's environment into an HTTP
 * header of a server it names. `${secret:name}` is kept as written here and read from the
 * secret store when the server starts (mcpSecrets.ts), in `env` and `headers` values only.
 */
import type { McpScope } from './mcpDefinitions';

export interface VariableContext {
  scope: McpScope;
  workspaceFolder: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

const VARIABLE = /\$\{([^}]*)\}/g;
export const SECRET_VARIABLE = /\$\{secret:([A-Za-z0-9._-]+)\}/g;

/** The value with its variables replaced; throws an Error saying which variable cannot be used and why. */
export function substituteVariables(value: string, context: VariableContext, secretsAllowed: boolean): string {
  return value.replace(VARIABLE, (whole, inner: string) => {
    const [kind = '', ...rest] = inner.split(':');
    const argument = rest.join(':');
    if (inner === 'workspaceFolder') {
      if (context.workspaceFolder === undefined) throw new Error(`${whole} cannot be used: no workspace folder is open`);
      return context.workspaceFolder;
    }
    switch (kind) {
      case 'env': {
        if (context.scope === 'workspace') {
          throw new Error(`${whole} cannot be used in a workspace's file: a repository may not pass your environment to a server (use it in ~/.patchbay/config.yaml, or \${secret:name})`);
        }
        const found = context.env[argument];
        if (found === undefined) throw new Error(`${whole}: the environment variable ${argument} is not set`);
        return found;
      }
      case 'secret':
        if (!/^[A-Za-z0-9._-]+$/.test(argument)) throw new Error(`${whole}: a secret's name is letters, digits, ".", "_" and "-"`);
        if (!secretsAllowed) throw new Error(`${whole} may only be used in "env" and "headers" values`);
        return whole;
      case 'input':
        throw new Error(`${whole}: the "inputs" of .vscode/mcp.json are not supported by Patchbay; use \${secret:${argument || 'name'}} and set it with "Patchbay: Set MCP Secret"`);
      default:
        throw new Error(`${whole} is not a variable Patchbay knows (it knows \${workspaceFolder}, \${env:NAME} and \${secret:name})`);
    }
  });
}

/** The names of the secrets a value refers to. */
export function secretNames(value: string): string[] {
  return [...value.matchAll(SECRET_VARIABLE)].map((match) => match[1] ?? '');
}
