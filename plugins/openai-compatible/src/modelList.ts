/**
 * `GET /models` bodies -> models. OpenAI's shape is `{ data: [{ id }] }`; vLLM adds
 * `max_model_len`; llama.cpp's router mode also has an Ollama-style `models` array.
 */
import type { ModelInfo } from '../../../src/core/api';

interface ListedModel {
  id?: unknown;
  name?: unknown;
  model?: unknown;
  max_model_len?: unknown;
  context_length?: unknown;
  owned_by?: unknown;
}

export function parseModelList(body: unknown): ModelInfo[] {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { data?: unknown; models?: unknown };
  const listed = Array.isArray(record.data) ? record.data : Array.isArray(record.models) ? record.models : Array.isArray(body) ? body : undefined;
  if (!listed) throw new Error('the model list has neither "data" nor "models"');
  const seen = new Set<string>();
  const models: ModelInfo[] = [];
  for (const raw of listed as ListedModel[]) {
    const id = [raw?.id, raw?.model, raw?.name].find((value): value is string => typeof value === 'string' && value !== '');
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const model: ModelInfo = { id };
    const contextLength = [raw.max_model_len, raw.context_length].find((value): value is number => typeof value === 'number' && value > 0);
    if (contextLength !== undefined) {
      model.contextLength = contextLength;
      model.details = `context ${contextLength.toLocaleString('en-US')} tokens`;
    }
    models.push(model);
  }
  return models;
}
