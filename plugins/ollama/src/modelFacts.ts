/** Facts about an Ollama model from `/api/tags` and `/api/show`. */

interface ModelDetails {
  family?: string;
  parameter_size?: string;
  quantization_level?: string;
}

export function describeModel(details: ModelDetails | undefined, contextLength?: number): string | undefined {
  const parts = [details?.family, details?.parameter_size, details?.quantization_level].filter((part): part is string => typeof part === 'string' && part !== '');
  if (contextLength !== undefined) parts.push(`context ${contextLength.toLocaleString('en-US')}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** `model_info["<architecture>.context_length"]`; the JSON arrives as a plain object. */
export function contextLengthOf(modelInfo: unknown): number | undefined {
  const entries: [string, unknown][] = modelInfo instanceof Map
    ? [...(modelInfo as Map<string, unknown>).entries()]
    : typeof modelInfo === 'object' && modelInfo !== null ? Object.entries(modelInfo) : [];
  const info = new Map(entries);
  const architecture = info.get('general.architecture');
  const exact = typeof architecture === 'string' ? info.get(`${architecture}.context_length`) : undefined;
  const value = exact ?? entries.find(([key]) => key.endsWith('.context_length'))?.[1];
  return typeof value === 'number' && value > 0 ? value : undefined;
}
