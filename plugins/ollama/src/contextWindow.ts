/**
 * Chooses `num_ctx` for an Ollama request. Ollama cuts prompts longer than its default
 * window without a word, so the window is always sent. It is rounded up to a few fixed
 * sizes because Ollama reloads the model whenever `num_ctx` changes, and kept within the
 * model's own limit.
 */
const WINDOW_STEPS = [4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576];

/** A deliberately generous estimate (about 3 characters per token) so prompts are not cut. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

export function chooseContextWindow(promptTokens: number, answerTokens: number, modelContextLength: number | undefined): number {
  const needed = promptTokens + answerTokens;
  const size = WINDOW_STEPS.find((step) => step >= needed) ?? needed;
  return modelContextLength !== undefined && modelContextLength > 0 ? Math.min(size, modelContextLength) : size;
}
