/**
 * A connected server's tools and prompts in the chat: each registered in the contribution
 * registry with the server's name as owner, so approval rules name them `server.tool` (and
 * `server.*`), exactly like a plugin's. Registered again when the server says a list changed.
 *
 * A tool's approval follows its annotations: `readOnlyHint` (and not destructive) makes it a
 * reading call (`READ`, which may be always allowed, as GET is); anything else is a `CALL`,
 * asked about every time unless the user's toolApproval allows it.
 */
import type { Prompt, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CallContext, Disposable, JsonSchema, PromptTemplateDefinition, ToolDefinition } from '../api';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import type { McpClient } from './mcpSdk';
import { promptArguments, promptText } from './mcpPrompts';
import { toolOutput } from './mcpToolResult';

export interface McpCallOptions {
  /** How long one tool call may take without progress (each progress notification restarts it). */
  callTimeoutMs: number;
}

/** Every page of a list. */
async function allPages<T>(list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await list(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export function listTools(client: McpClient): Promise<Tool[]> {
  if (!client.getServerCapabilities()?.tools) return Promise.resolve([]);
  return allPages(async (cursor) => {
    const result = await client.listTools(cursor ? { cursor } : {});
    return { items: result.tools, nextCursor: result.nextCursor };
  });
}

export function listPrompts(client: McpClient): Promise<Prompt[]> {
  if (!client.getServerCapabilities()?.prompts) return Promise.resolve([]);
  return allPages(async (cursor) => {
    const result = await client.listPrompts(cursor ? { cursor } : {});
    return { items: result.prompts, nextCursor: result.nextCursor };
  });
}

/** A name the registry and model APIs accept: letters, digits, `_` and `-`, cut to `max`. */
function safeName(name: string, max: number): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, max) || '_';
}

export function mcpToolDefinition(server: string, tool: Tool, client: McpClient, options: McpCallOptions): ToolDefinition {
  const reading = tool.annotations?.readOnlyHint === true && tool.annotations.destructiveHint !== true;
  const parameters: JsonSchema = { ...tool.inputSchema, type: 'object' };
  return {
    name: safeName(tool.name, 64),
    description: tool.description ?? tool.annotations?.title ?? tool.title ?? `The tool "${tool.name}" of MCP server "${server}".`,
    parameters,
    describeCall: () => ({ method: reading ? 'READ' : 'CALL', url: `mcp://${server}/${encodeURIComponent(tool.name)}` }),
    invoke: async (args: Record<string, unknown>, context: CallContext) => {
      // The SDK leaves its listener on the signal it is given: give it one of this call's own,
      // so the calls of a long answer do not pile listeners onto the answer's signal.
      const call = new AbortController();
      const forward = () => call.abort(context.signal.reason);
      if (context.signal.aborted) forward();
      else context.signal.addEventListener('abort', forward, { once: true });
      const result = await client.callTool({ name: tool.name, arguments: args }, undefined, {
        signal: call.signal,
        timeout: options.callTimeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: (progress) => context.reportProgress?.({ progress: progress.progress, ...(progress.total !== undefined ? { total: progress.total } : {}), ...(progress.message !== undefined ? { message: progress.message } : {}) }),
      }).finally(() => context.signal.removeEventListener('abort', forward));
      // A result from a task-based call has no `content`; the SDK's compatibility shape has `toolResult`.
      if (!('content' in result) || !Array.isArray(result.content)) return JSON.stringify(result);
      const output = toolOutput(result as Parameters<typeof toolOutput>[0], tool.name, server);
      if (output.images.length > 0) context.reportImages?.(output.images.map((image) => image.dataUri));
      return output.text;
    },
  };
}

export function mcpPromptDefinition(server: string, prompt: Prompt, client: McpClient): PromptTemplateDefinition {
  return {
    name: safeName(prompt.name, 40),
    description: prompt.description ?? prompt.title ?? `The prompt "${prompt.name}" of MCP server "${server}".`,
    template: async (input: string) => {
      const result = await client.getPrompt({ name: prompt.name, arguments: promptArguments(prompt, input, `${server}:${prompt.name}`) });
      return promptText(result.messages);
    },
  };
}

/** Registers the server's tools and prompts; the returned disposable removes them all. */
export function registerServerContributions(registry: ContributionRegistry, server: string, tools: Tool[], prompts: Prompt[], client: McpClient, options: McpCallOptions): { registered: Disposable; problems: string[] } {
  const disposables: Disposable[] = [];
  const problems: string[] = [];
  const add = (register: () => Disposable, what: string) => {
    try {
      disposables.push(register());
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };
  for (const tool of tools) add(() => registry.register('tool', server, mcpToolDefinition(server, tool, client, options)), `tool "${tool.name}"`);
  for (const prompt of prompts) add(() => registry.register('promptTemplate', server, mcpPromptDefinition(server, prompt, client), { alwaysQualified: true }), `prompt "${prompt.name}"`);
  return { registered: { dispose: () => disposables.forEach((item) => item.dispose()) }, problems };
}
