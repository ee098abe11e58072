/**
 * Which changes make a sync reload a loaded plugin: its files, where it comes from, its
 * settings schema or its settings. Anything else leaves it running, so editing one plugin
 * never restarts the others.
 */
import type { PluginCandidate } from './pluginCandidate';
import type { PluginRecord } from './pluginRecord';
import type { SyncOptions } from './pluginRuntimeDeps';

export function needsReload(slot: { record: PluginRecord; settingsKey: string }, candidate: PluginCandidate, settingsKey: string, options: SyncOptions): boolean {
  const previous = slot.record.candidate;
  if (options.reloadAll) return true;
  if (previous.location !== candidate.location || previous.entryPath !== candidate.entryPath || previous.source !== candidate.source) return true;
  if (JSON.stringify(previous.configSchema ?? null) !== JSON.stringify(candidate.configSchema ?? null)) return true;
  if (slot.settingsKey !== settingsKey) return true;
  return [...(options.changedLocations ?? [])].some((changed) => isInside(changed, candidate.location));
}

function isInside(changed: string, location: string): boolean {
  return changed === location || changed.startsWith(location.endsWith('/') || location.endsWith('\\') ? location : `${location}/`) || changed.startsWith(`${location}\\`);
}
