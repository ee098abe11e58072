/**
 * Which tools a conversation may use: every tool is on unless the conversation turned it, or
 * its whole plugin (or MCP server), off. The choice is kept with the conversation as a list of
 * keys that are off (`plugin:<owner>`, `tool:<owner>/<name>`), so tools added later start on.
 */
import type { ToolDefinition } from '../api';
import type { Listed } from '../plugins/contributionRegistry';

export interface ToolToggle {
  key: string;
  /** The name the model sees. */
  name: string;
  description: string;
  on: boolean;
}

/** A plugin's or MCP server's tools, with a switch for all of them. */
export interface ToolToggleGroup {
  key: string;
  label: string;
  on: boolean;
  tools: ToolToggle[];
}

export function pluginToggleKey(owner: string): string {
  return `plugin:${owner}`;
}

export function toolToggleKey(owner: string, name: string): string {
  return `tool:${owner}/${name}`;
}

export function isToolOn(toolsOff: readonly string[], tool: Listed<ToolDefinition>): boolean {
  return !toolsOff.includes(pluginToggleKey(tool.owner)) && !toolsOff.includes(toolToggleKey(tool.owner, tool.definition.name));
}

/** The switches for the tools registered now, grouped by owner, both sorted by name. */
export function toolToggleGroups(tools: readonly Listed<ToolDefinition>[], toolsOff: readonly string[]): ToolToggleGroup[] {
  const groups = new Map<string, ToolToggleGroup>();
  for (const tool of tools) {
    const key = pluginToggleKey(tool.owner);
    const group = groups.get(key) ?? { key, label: tool.owner, on: !toolsOff.includes(key), tools: [] };
    groups.set(key, group);
    const toolKey = toolToggleKey(tool.owner, tool.definition.name);
    group.tools.push({ key: toolKey, name: tool.listedName, description: tool.definition.description, on: !toolsOff.includes(toolKey) });
  }
  for (const group of groups.values()) group.tools.sort((a, b) => a.name.localeCompare(b.name));
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** The off list after turning `key` on or off; it only ever holds well-formed keys once. */
export function withToggle(toolsOff: readonly string[], key: string, on: boolean): string[] {
  const rest = toolsOff.filter((item) => item !== key);
  return on ? rest : [...rest, key];
}

/** Whether `key` has the shape of a toggle key (the webview sends it). */
export function isToggleKey(key: string): boolean {
  return /^plugin:[^/]+$/.test(key) || /^tool:[^/]+\/.+$/.test(key);
}
