/**
 * The names contributions are listed under: tool names and slash commands that two plugins
 * share are qualified with the plugin id (a qualified tool name is still a valid one: at most
 * 64 characters of letters, digits, _ and -, and unique).
 */
import type { ToolDefinition } from '../api';

/**
 * The order `localeCompare` gives, from one collator: a thousand tools sort several times faster.
 * Made at the first sort, not when the extension loads (a collator costs ~2 ms of VS Code's activation).
 */
let collator: Intl.Collator | undefined;
const byName = (a: string, b: string): number => (collator ??= new Intl.Collator()).compare(a, b);

export interface Owned<T> {
  owner: string;
  definition: T;
  /** Listed as `owner<separator>name` even when no other owner uses the name (an MCP server's prompts). */
  alwaysQualified?: boolean;
}

/** A registration and the name it is listed under when another plugin uses the same name. */
export interface Listed<T> extends Owned<T> {
  /** The plain name, or `plugin.name` when two plugins use the same one. */
  listedName: string;
}

/** Sorted by name; a name two plugins share is listed as `plugin<separator>name` for both. */
export function listed<T>(items: Owned<T>[], nameOf: (definition: T) => string, separator: string): Listed<T>[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(nameOf(item.definition), (counts.get(nameOf(item.definition)) ?? 0) + 1);
  return items
    .map((item) => {
      const name = nameOf(item.definition);
      return { ...item, listedName: (counts.get(name) ?? 0) > 1 || item.alwaysQualified ? `${item.owner}${separator}${name}` : name };
    })
    .sort((a, b) => byName(a.listedName, b.listedName));
}

const MAX_TOOL_NAME = 64;

/**
 * Tools sorted by listed name. A name two plugins share becomes `plugin_name`, with the
 * plugin id's other characters as `_`; when that is too long, or taken (by a tool's own
 * name or another qualified one), its end becomes a hash of plugin and name.
 */
export function listedTools(items: Owned<ToolDefinition>[]): Listed<ToolDefinition>[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.definition.name, (counts.get(item.definition.name) ?? 0) + 1);
  const taken = new Set([...counts].filter(([, count]) => count === 1).map(([name]) => name));
  const unique = items.filter((item) => counts.get(item.definition.name) === 1).map((item) => ({ ...item, listedName: item.definition.name }));
  // Only shared names are qualified, in a fixed order so a hash suffix always lands on the same tool.
  const shared = items
    .filter((item) => counts.get(item.definition.name) !== 1)
    .sort((a, b) => byName(a.owner, b.owner) || byName(a.definition.name, b.definition.name));
  const renamed = shared.map((item) => {
    const name = item.definition.name;
    const qualified = `${item.owner.replace(/[^a-zA-Z0-9_-]/g, '_')}_${name}`;
    const hash = nameHash(`${item.owner}\u0000${name}`);
    let listedName = qualified.length <= MAX_TOOL_NAME ? qualified : `${qualified.slice(0, MAX_TOOL_NAME - 9)}_${hash.slice(0, 8)}`;
    for (let length = 8; taken.has(listedName); length += 4) listedName = `${qualified.slice(0, MAX_TOOL_NAME - length - 1)}_${hash.slice(0, length)}`;
    taken.add(listedName);
    return { ...item, listedName };
  });
  return [...unique, ...renamed].sort((a, b) => byName(a.listedName, b.listedName));
}

/**
 * 32 hex digits from FNV-1a over the text, four times with different offsets: stable across
 * runs, with no Node module (the webview's type check reads this file too).
 */
function nameHash(text: string): string {
  let out = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x5bd1e995, 0x27d4eb2f]) {
    let hash = seed;
    for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out;
}
