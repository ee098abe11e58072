/** What the Plugins view, the settings form and the commands know of a plugin: its status and why. */
import type { PluginConfigSchema } from '../api';
import type { PluginCandidate } from './pluginCandidate';
import type { SecretOwner } from './pluginSecrets';
import type { NotLoadedReason } from './pluginSelection';
import type { SettingProblem } from './pluginSettings';

export type PluginStatus =
  | 'loading'
  | 'loaded'
  | 'failed'
  | 'waiting-for-consent'
  | 'consent-denied'
  | NotLoadedReason['status'];

export interface PluginRecord {
  candidate: PluginCandidate;
  status: PluginStatus;
  /** Why it failed, was skipped, disabled or shadowed. */
  detail?: string;
  contributions: string[];
  settingsProblems: SettingProblem[];
  /** The settings schema in use: the manifest's, or the one a single-file plugin exports. */
  configSchema?: PluginConfigSchema;
  /** An HTTP plugin's API origin: its secrets are bound to it. */
  credentialOrigin?: string;
}

/** Whose secrets a plugin may read: its own, as found at its source (and its API's origin). */
export function secretOwner(record: Pick<PluginRecord, 'candidate' | 'credentialOrigin'>): SecretOwner {
  const { id, source, location } = record.candidate;
  return { id, source, location, ...(record.credentialOrigin !== undefined ? { credentialOrigin: record.credentialOrigin } : {}) };
}
