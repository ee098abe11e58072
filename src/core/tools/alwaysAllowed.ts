/**
 * "Always allow this tool" is remembered for the plugin the user saw on the card: its source
 * and location (see pluginScope.ts) with the tool's qualified name. A workspace plugin or
 * spec that takes the id of one of the user's plugins — or any plugin that later takes that
 * id — therefore starts with nothing allowed.
 *
 * Earlier versions remembered the qualified name alone (`plugin.tool`). Such an entry still
 * holds for the user's own bundled or global plugin of that id (the user could only have
 * chosen it for theirs: a workspace plugin could not replace it then), never for a
 * workspace plugin.
 */
import type { PluginCandidate } from '../plugins/discovery';
import { pluginScope } from '../plugins/pluginScope';

export type ToolOwner = Pick<PluginCandidate, 'source' | 'location'>;

export function alwaysAllowKey(owner: ToolOwner, qualifiedName: string): string {
  return JSON.stringify([pluginScope(owner), qualifiedName]);
}

/** Whether the remembered choices allow this tool of this plugin. */
export function isAlwaysAllowed(remembered: ReadonlySet<string>, owner: ToolOwner | undefined, qualifiedName: string): boolean {
  if (!owner) return false;
  if (remembered.has(alwaysAllowKey(owner, qualifiedName))) return true;
  return owner.source !== 'workspace' && remembered.has(qualifiedName);
}
