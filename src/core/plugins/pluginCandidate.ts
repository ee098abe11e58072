/**
 * What discovery finds and everything after it works from: a plugin not yet run. Here, not in
 * discovery or openapi, so both can name it without importing each other.
 */
import type { PluginConfigSchema } from '../api';

export type PluginSource = 'bundled' | 'global' | 'workspace';

export interface PluginRoot {
  dir: string;
  source: PluginSource;
}

export type PluginKind = 'code' | 'openapi';

/** A spec listed in config.yaml rather than found through a manifest. */
export interface DeclaredSpec {
  spec: string;
  baseUrl?: string;
  auth?: { type: 'bearer' | 'basic' } | { type: 'apiKey'; in: 'header' | 'query'; name: string };
}

export interface PluginCandidate {
  id: string;
  displayName: string;
  description?: string;
  version?: string;
  source: PluginSource;
  kind: PluginKind;
  /** The plugin's file, or its folder. */
  location: string;
  /** The code to load, or the `ai-plugin.json` of an OpenAPI plugin. */
  entryPath: string;
  /** Settings schema from a folder plugin's manifest (single files export theirs). */
  configSchema?: PluginConfigSchema;
  /** For an OpenAPI spec listed under `tools:` in config.yaml (`entryPath` is the spec). */
  declaredSpec?: DeclaredSpec;
}
