/**
 * An MCP server's resources as context for a question: the resources of every connected
 * server to choose from, and the chosen one read as text for a chip like a file's. A server
 * whose list fails is left out of the choice (its error is logged by the caller's service).
 */
import type { McpService } from './mcpService';

/** A context chip's attachment (the chat's `ContextAttachment`, which is a layer above this one). */
export interface McpResourceAttachment {
  kind: 'resource';
  label: string;
  language?: string;
  text: string;
}

/** As much of a resource as goes with a question, like a file. */
const MAX_RESOURCE_CHARACTERS = 100_000;

export interface McpResourceChoice {
  server: string;
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
}

const LANGUAGES: Readonly<Record<string, string>> = {
  'text/markdown': 'markdown',
  'application/json': 'json',
  'text/html': 'html',
  'text/css': 'css',
  'text/javascript': 'javascript',
  'application/javascript': 'javascript',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

export async function mcpResourceChoices(mcp: Pick<McpService, 'statuses' | 'listResources'>): Promise<McpResourceChoice[]> {
  const connected = mcp.statuses().filter((status) => status.state.kind === 'connected');
  const lists = await Promise.all(
    connected.map(async (status) => {
      const resources = await mcp.listResources(status.name).catch(() => []);
      return resources.map((resource): McpResourceChoice => ({
        server: status.name,
        uri: resource.uri,
        name: resource.title ?? resource.name,
        ...(resource.description ? { description: resource.description } : {}),
        ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
      }));
    }),
  );
  return lists.flat();
}

export async function mcpResourceAttachment(mcp: Pick<McpService, 'readResource'>, choice: McpResourceChoice): Promise<McpResourceAttachment> {
  const full = await mcp.readResource(choice.server, choice.uri);
  const text = full.length > MAX_RESOURCE_CHARACTERS ? `${full.slice(0, MAX_RESOURCE_CHARACTERS)}\n[… the rest of ${choice.uri} (${(full.length - MAX_RESOURCE_CHARACTERS).toLocaleString('en-US')} characters) is left out …]` : full;
  const language = choice.mimeType ? LANGUAGES[choice.mimeType.split(';')[0]?.trim() ?? ''] : undefined;
  return { kind: 'resource', label: `${choice.server}: ${choice.name}`, ...(language ? { language } : {}), text };
}

/**
 * An `@` mention may name a resource too: it is suggested beside the workspace's files under a
 * path of its own (`mcp:server/uri`), which comes back when the user picks it.
 */
const MENTION_PREFIX = 'mcp:';

export function mentionPathOf(choice: Pick<McpResourceChoice, 'server' | 'uri'>): string {
  return `${MENTION_PREFIX}${encodeURIComponent(choice.server)}/${choice.uri}`;
}

export function isResourceMention(path: string): boolean {
  return path.startsWith(MENTION_PREFIX);
}

/** The resource a mention's path names, among those offered now. */
export function resourceOfMention(path: string, choices: readonly McpResourceChoice[]): McpResourceChoice | undefined {
  if (!isResourceMention(path)) return undefined;
  const rest = path.slice(MENTION_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const server = decodeURIComponent(rest.slice(0, slash));
  const uri = rest.slice(slash + 1);
  return choices.find((choice) => choice.server === server && choice.uri === uri);
}

/** Resources whose name or address holds the typed word, names that start with it first. */
export function matchingResources(choices: readonly McpResourceChoice[], query: string, limit = 10): McpResourceChoice[] {
  const needle = query.toLowerCase();
  return choices
    .map((choice) => {
      const name = choice.name.toLowerCase();
      const score = name.startsWith(needle) ? 0 : name.includes(needle) ? 1 : choice.uri.toLowerCase().includes(needle) ? 2 : 3;
      return { choice, score };
    })
    .filter((item) => item.score < 3)
    .sort((a, b) => a.score - b.score || a.choice.name.localeCompare(b.choice.name))
    .slice(0, limit)
    .map((item) => item.choice);
}
