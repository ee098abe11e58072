/** A server's resources: every page of the list, and one resource read as text for a context chip. */
import type { Resource } from '@modelcontextprotocol/sdk/types.js';
import type { McpClient } from './mcpSdk';

const MAX_RESOURCES = 10_000;

export async function listResources(client: McpClient): Promise<Resource[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  const resources: Resource[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor ? { cursor } : {});
    resources.push(...page.resources);
    cursor = page.nextCursor;
  } while (cursor && resources.length < MAX_RESOURCES);
  return resources;
}

/** Text parts as they are; a binary part as a placeholder naming its type. */
export async function readResourceText(client: McpClient, uri: string): Promise<string> {
  const result = await client.readResource({ uri });
  return result.contents.map((content) => ('text' in content ? content.text : `[binary ${content.mimeType ?? 'data'} not included]`)).join('\n');
}
