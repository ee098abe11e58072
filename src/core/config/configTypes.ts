/** The shape of config.yaml; config.schema.json is the rule, these types mirror it. */
export interface ProviderDeclaration {
  id: string;
  type: string;
  baseUrl: string;
  label?: string;
  options?: Record<string, unknown>;
  /** Sent with every request; a value may be `${secret:name}` (secret storage, per origin). */
  headers?: Record<string, string>;
  /** The API key comes from this environment variable (user settings and the global file only). */
  apiKeyEnv?: string;
}

export interface PluginsSection {
  disabled?: string[];
  enabled?: string[];
  config?: Record<string, Record<string, unknown>>;
}

export interface ToolSpecDeclaration {
  openapi: string;
  id?: string;
  baseUrl?: string;
  auth?: { type: 'bearer' | 'basic' | 'apiKey'; in?: 'header' | 'query'; name?: string };
}

export interface ToolApprovalSection {
  default?: 'ask' | 'allow' | 'deny';
  allow?: string[];
  deny?: string[];
  /** Asked about even when read-only. */
  ask?: string[];
}

export interface ToolCallingSection {
  maxRounds?: number;
  maxTools?: number;
  maxTokens?: number;
  models?: Record<string, 'native' | 'prompt' | 'off'>;
}

/**
 * One entry of `models:`: facts and defaults for the model of that id, or, with `use:`, an
 * alias (a name of its own in the model picker for `provider/model`, with its defaults).
 */
export interface ModelEntry {
  /** `provider/model` (or a model id any provider lists): makes the entry an alias. */
  use?: string;
  contextLength?: number;
  /** Whether the model reads images, when its server does not say (or says wrong). */
  vision?: boolean;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  systemPrompt?: string;
}

export interface PatchbayConfig {
  providers?: ProviderDeclaration[];
  plugins?: PluginsSection;
  tools?: ToolSpecDeclaration[];
  toolApproval?: ToolApprovalSection;
  toolCalling?: ToolCallingSection;
  models?: Record<string, ModelEntry>;
  /** Checked entry by entry by src/core/mcp/mcpConfig.ts, so a bad server never invalidates the file. */
  mcpServers?: Record<string, unknown>;
}

/** Where a value sits in a config file, 1-based. */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ConfigProblem extends TextRange {
  severity: 'error' | 'warning';
  message: string;
}
