/**
 * Text for VS Code's language-model API in fewer, larger parts: each reported part crosses from
 * Patchbay's extension host to VS Code and on to the caller's, so a part per token makes the
 * crossing, not the model, the limit (50k one-token parts streamed at a tenth of the rate of
 * Patchbay's own chat). Consecutive text waits a few milliseconds for more; a part of another
 * kind (a tool call) and the end of the answer send what waits first, so the order holds.
 */
import type { EditorAnswerPart } from './answerForEditor';

export interface CoalescedParts {
  push(part: EditorAnswerPart): void;
  /** Sends what waits (at the end of the answer). */
  flush(): void;
}

export function coalescedParts(report: (part: EditorAnswerPart) => void, delayMs = 8): CoalescedParts {
  let waiting: Extract<EditorAnswerPart, { kind: 'text' | 'thinking' }> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (waiting) report(waiting);
    waiting = undefined;
  };
  return {
    push: (part) => {
      if (part.kind === 'toolCall') {
        flush();
        report(part);
        return;
      }
      if (waiting && waiting.kind === part.kind) {
        waiting = { kind: part.kind, text: waiting.text + part.text };
        return;
      }
      flush();
      waiting = { ...part };
      timer = setTimeout(flush, delayMs);
    },
    flush,
  };
}
