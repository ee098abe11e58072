/** The shape of config.yaml; config.schema.json is the rule, these types mirror it. */
export interface ProviderDeclaration {
  id: string;
  type: string;
  baseUrl: string;
  label?: string;
  options?: Record<string, unknown>;
}

export interface PatchbayConfig {
  providers?: ProviderDeclaration[];
}

export interface ConfigProblem {
  severity: 'error' | 'warning';
  message: string;
  /** 1-based line and column of the offending text. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
