/**
 * Which plugin something the user granted belongs to: not its id alone, which a workspace
 * plugin or spec can take, but its source and, for a global or workspace plugin, its
 * location. Bundled plugins move with every update of the extension, so they go by source.
 */
import type { PluginCandidate } from './discovery';

export function pluginScope(plugin: Pick<PluginCandidate, 'source' | 'location'>): string {
  return plugin.source === 'bundled' ? 'bundled' : `${plugin.source}:${plugin.location}`;
}
