/** The shape of config.yaml; config.schema.json is the rule, these types mirror it. */
export interface ProviderDeclaration {
  id: string;
  type: string;
  baseUrl: string;
  label?: string;
  options?: Record<string, unknown>;
}

export interface PluginsSection {
  disabled?: string[];
  enabled?: string[];
  config?: Record<string, Record<string, unknown>>;
}

export interface PatchbayConfig {
  providers?: ProviderDeclaration[];
  plugins?: PluginsSection;
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
