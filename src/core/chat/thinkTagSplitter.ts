/**
 * Separates reasoning that models write inline as `<think>...</think>` from the answer.
 *
 * Qwen3 and DeepSeek-R1 distills served without a reasoning parser put their reasoning at
 * the start of the content inside think tags. Some chat templates put the opening tag in
 * the prompt, so only `</think>` appears: everything before it was reasoning, which we only
 * learn when the closing tag arrives, so the caller is told to move it (`reclassify`).
 * Tags may be split across streamed chunks, so a possible partial tag is held back until
 * the next chunk decides it.
 */
import { partialTagLength } from '../util/partialTag';

export type SplitPiece =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** All answer text emitted so far was reasoning. */
  | { type: 'reclassify' };


const OPEN = '<think>';
const CLOSE = '</think>';

type Mode =
  /** Nothing but whitespace seen yet: an opening tag may still come. */
  | 'start'
  | 'inThink'
  /** Answer text; a closing tag without an opening one would make it reasoning. */
  | 'answerMayReclassify'
  | 'answer';

export class ThinkTagSplitter {
  private mode: Mode = 'start';
  private held = '';
  /** Whitespace right after a tag only separates reasoning from the answer; drop it. */
  private trimLeading = false;
  private reclassifyAllowed = true;

  /** Call when the provider sends separate reasoning: inline tags are then taken literally. */
  disableReclassify(): void {
    this.reclassifyAllowed = false;
    if (this.mode === 'answerMayReclassify') this.mode = 'answer';
  }

  push(chunk: string): SplitPiece[] {
    const out: SplitPiece[] = [];
    this.held += chunk;
    this.consume(out, false);
    return out;
  }

  /** The stream ended: whatever was held back is what it looked like. */
  flush(): SplitPiece[] {
    const out: SplitPiece[] = [];
    this.consume(out, true);
    return out;
  }

  private consume(out: SplitPiece[], final: boolean): void {
    for (;;) {
      if (this.trimLeading) {
        this.held = this.held.trimStart();
        if (this.held !== '') this.trimLeading = false;
      }
      const text = this.held;
      if (text === '') return;
      switch (this.mode) {
        case 'start': {
          const trimmed = text.trimStart();
          if (trimmed.startsWith(OPEN)) {
            this.held = trimmed.slice(OPEN.length);
            this.mode = 'inThink';
            this.trimLeading = true;
            continue;
          }
          if (!final && (trimmed === '' || OPEN.startsWith(trimmed))) return;
          this.mode = this.reclassifyAllowed ? 'answerMayReclassify' : 'answer';
          continue;
        }
        case 'inThink':
        case 'answerMayReclassify': {
          const type = this.mode === 'inThink' ? 'reasoning' : 'text';
          const close = text.indexOf(CLOSE);
          if (close !== -1) {
            emit(out, type, text.slice(0, close));
            // A closing tag nobody opened: what looked like the answer was reasoning.
            if (this.mode === 'answerMayReclassify') out.push({ type: 'reclassify' });
            this.held = text.slice(close + CLOSE.length);
            this.mode = 'answer';
            this.trimLeading = true;
            continue;
          }
          const keep = final ? 0 : partialTagLength(text, CLOSE);
          emit(out, type, text.slice(0, text.length - keep));
          this.held = text.slice(text.length - keep);
          return;
        }
        case 'answer':
          emit(out, 'text', text);
          this.held = '';
          return;
      }
    }
  }
}

function emit(out: SplitPiece[], type: 'text' | 'reasoning', text: string): void {
  if (text !== '') out.push({ type, text });
}
