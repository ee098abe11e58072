/**
 * Token counts for VS Code's `provideTokenCount`: the server's own tokenizer when it has one
 * (llama.cpp server and vLLM answer `POST /tokenize`, each in its own body shape), otherwise
 * the estimate the context window uses (a token per three characters, on the safe side for
 * English and code). Whether a server tokenizes is learned once per server and remembered.
 */
import { estimateTokens } from '../chat/contextWindow';

type TokenizeShape = 'llama.cpp' | 'vllm';

export interface TokenCounterOptions {
  fetch: typeof fetch;
  /** How long one tokenize request may take before the estimate is used instead. */
  timeoutMs?: number;
}

export class TokenCounter {
  /** Per server origin: the body shape it understands, or null when it has no tokenizer. */
  private readonly shapes = new Map<string, TokenizeShape | null>();

  constructor(private readonly options: TokenCounterOptions) {}

  /** Tokens in `text` for `modelId` on the server at `baseUrl` (an OpenAI-compatible base, `/v1` or not). */
  async count(text: string, modelId: string, baseUrl: string | undefined, call: { apiKey?: string; signal?: AbortSignal } = {}): Promise<number> {
    const { signal } = call;
    if (text === '') return 0;
    const origin = originOf(baseUrl);
    if (origin === undefined || this.shapes.get(origin) === null) return estimateTokens(text);
    const known = this.shapes.get(origin);
    for (const shape of known ? [known] : (['llama.cpp', 'vllm'] as const)) {
      const counted = await this.tokenize(origin, shape, text, modelId, call);
      if (counted !== undefined) {
        this.shapes.set(origin, shape);
        return counted;
      }
    }
    if (!signal?.aborted) this.shapes.set(origin, null);
    return estimateTokens(text);
  }

  private async tokenize(origin: string, shape: TokenizeShape, text: string, modelId: string, call: { apiKey?: string; signal?: AbortSignal }): Promise<number | undefined> {
    const { signal, apiKey } = call;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 5_000);
    try {
      const response = await this.options.fetch(`${origin}/tokenize`, {
        method: 'POST',
        // The key saved for this server's origin, as its chat requests carry it.
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(shape === 'llama.cpp' ? { content: text } : { model: modelId, prompt: text }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { tokens?: unknown; count?: unknown };
      if (typeof body.count === 'number') return body.count;
      return Array.isArray(body.tokens) ? body.tokens.length : undefined;
    } catch {
      return undefined;
    }
  }
}

function originOf(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}
