/**
 * Renders markdown that arrives in pieces into one container, at a cost per frame that does not
 * grow with the length of the text:
 *  - finished blocks (see blockSplitter.ts) are rendered once, highlighted, and never touched
 *    again; a frame renders only as many as fit in its time budget;
 *  - the last, still growing block is re-rendered without highlighting;
 *  - a top-level code block that is still open is shown as plain text that is only appended to;
 *  - while the text streams, the DOM is updated at most once per STREAM_UPDATE_INTERVAL_MS
 *    (see updatePacer.ts): the frames in between cost no style, layout or paint. The end of the
 *    text is shown at once.
 *
 * `append` and `finish` only record text; `render` (called once per animation frame) touches
 * the DOM.
 */
import { el } from '../dom';
import { MarkdownBlockSplitter } from './blockSplitter';
import { createCodeBlock } from './codeBlocks';
import { renderMarkdownInto } from './markdown';
import { StreamingCodeText } from './streamingCodeText';
import { plainTextTail } from './plainTextTail';
import { UpdatePacer } from './updatePacer';

type PendingMode = 'none' | 'markdown' | 'code';

/**
 * An update may use at most this share of the time (it waits cost × this factor before the next
 * one), so an unusually long block cannot stall the page.
 */
const UPDATE_COST_SPACING = 3;
/**
 * At most this often does streaming text reach the DOM (10 times a second). Each update costs a
 * frame's style, layout and paint whatever its size; at 50 ms the paced 50 KB answer cost about
 * 5x its one-shot render above the frames themselves, at 100 ms under 3x (npm run bench).
 */
const STREAM_UPDATE_INTERVAL_MS = 100;

export class StreamingMarkdown {
  private splitter = new MarkdownBlockSplitter();
  private fullText = '';
  private finishedBlocks: string[] = [];
  private finished = false;
  private pendingElement: HTMLElement | undefined;
  private pendingMode: PendingMode = 'none';
  private pendingChanged = false;
  /** Text appended since the last render; feeds an open code block without rescanning it. */
  private appendedSinceRender = '';
  private readonly codeText = new StreamingCodeText();
  private codeNode: Text | undefined;
  /** The growing block's markdown as last rendered, and the text node showing what came after it. */
  private renderedPending = '';
  private tailNode: Text | undefined;
  private readonly pacer = new UpdatePacer(STREAM_UPDATE_INTERVAL_MS, UPDATE_COST_SPACING);
  /** The last render stopped at its deadline with finished blocks left: the next one goes on at once. */
  private backlogged = false;

  constructor(readonly element: HTMLElement) {}

  /** Everything appended so far. */
  get text(): string {
    return this.fullText;
  }

  /** True when `render` has something to do. */
  get isDirty(): boolean {
    return this.finishedBlocks.length > 0 || this.pendingChanged;
  }

  append(chunk: string): void {
    if (chunk === '') return;
    if (this.finished) {
      // Text after the end (not expected from the host): start over from the whole text.
      this.replace(this.fullText + chunk, false);
      return;
    }
    this.fullText += chunk;
    this.appendedSinceRender += chunk;
    for (const block of this.splitter.append(chunk)) this.finishedBlocks.push(block);
    this.pendingChanged = true;
  }

  /** The text is complete: the growing block is rendered as finished (and highlighted). */
  finish(): void {
    if (this.finished) return;
    for (const block of this.splitter.finish()) this.finishedBlocks.push(block);
    this.finished = true;
    this.pendingChanged = true;
    this.pacer.reset();
  }

  /** Shows `text` instead of what was there (the host's final content differs from the stream). */
  replace(text: string, finished: boolean): void {
    this.clear();
    this.append(text);
    if (finished) this.finish();
  }

  /** Brings the text up to `text`: appends when it only grew, otherwise starts over. */
  syncTo(text: string, finished: boolean): void {
    if (text.startsWith(this.fullText) && !(this.finished && text !== this.fullText)) {
      this.append(text.slice(this.fullText.length));
      if (finished) this.finish();
    } else {
      this.replace(text, finished);
    }
  }

  clear(): void {
    this.splitter.reset();
    this.fullText = '';
    this.finishedBlocks = [];
    this.finished = false;
    this.appendedSinceRender = '';
    this.pendingChanged = true;
    this.element.replaceChildren();
    this.pendingElement = undefined;
    this.pendingMode = 'none';
    this.codeNode = undefined;
    this.forgetPlainTail();
    this.pacer.reset();
    this.backlogged = false;
  }

  /**
   * Applies what was appended since the last call. Returns true if it needs another frame:
   * finished blocks are rendered until `deadline` (performance.now() time; at least one per
   * call), and the rest wait for the next frame, so a whole answer arriving at once, or a fast
   * server's burst, never holds the page in one long task.
   */
  render(deadline = Number.POSITIVE_INFINITY): boolean {
    if (!this.isDirty) return false;
    const started = performance.now();
    if (!this.finished && !this.backlogged && !this.pacer.isDue(started)) return true;
    const again = this.applyChanges(deadline);
    this.backlogged = again && this.finishedBlocks.length > 0;
    this.pacer.applied(started, performance.now());
    return again;
  }

  /** Renders what is there now, without waiting for the next paced update (a section was opened). */
  renderNow(): boolean {
    this.pacer.reset();
    return this.render();
  }

  private applyChanges(deadline: number): boolean {
    if (this.finishedBlocks.length > 0) {
      // What the growing block showed is now (part of) the finished blocks.
      this.removePending();
      let rendered = 0;
      do this.renderFinishedBlock(this.finishedBlocks[rendered++] as string);
      while (rendered < this.finishedBlocks.length && performance.now() < deadline);
      this.finishedBlocks.splice(0, rendered);
      if (this.finishedBlocks.length > 0) {
        this.pendingChanged = true;
        return true;
      }
    }
    const appended = this.appendedSinceRender;
    this.appendedSinceRender = '';
    if (this.finished) {
      this.removePending();
      this.pendingChanged = false;
      return false;
    }
    if (!this.pendingChanged) return false;

    const openCode = this.splitter.openCodeBlock;
    if (openCode !== undefined) {
      if (this.pendingMode !== 'code' || this.codeNode === undefined) {
        this.startStreamingCode(openCode.language);
        this.appendCode(this.splitter.pending.slice(openCode.bodyOffset));
      } else {
        this.appendCode(appended);
      }
      this.pendingChanged = false;
      return false;
    }

    if (!this.appendPlainTail()) this.renderPendingMarkdown();
    this.pendingChanged = false;
    return false;
  }

  private renderFinishedBlock(markdown: string): void {
    const block = el('div', { className: 'md-block' });
    renderMarkdownInto(block, markdown, { highlight: true });
    this.element.insertBefore(block, this.pendingElement ?? null);
  }

  private renderPendingMarkdown(): void {
    const markdown = this.splitter.pending;
    if (markdown.trim() === '') {
      this.removePending();
      return;
    }
    const pending = this.ensurePendingElement('markdown');
    renderMarkdownInto(pending, markdown, { highlight: false });
    this.forgetPlainTail();
    this.renderedPending = markdown;
  }

  /**
   * Shows the growing block's new text as a text node after what was rendered, when it is plain
   * words (see plainTextTail.ts); false when the block must be rendered again.
   */
  private appendPlainTail(): boolean {
    if (this.pendingMode !== 'markdown' || this.pendingElement === undefined) return false;
    const tail = plainTextTail(this.renderedPending, this.splitter.pending);
    if (tail === undefined) return false;
    if (this.tailNode === undefined) {
      if (tail === '') return true;
      const target = plainTailTarget(this.pendingElement);
      if (target === undefined) return false;
      this.tailNode = document.createTextNode('');
      target.append(this.tailNode);
    }
    const shown = this.tailNode.data;
    if (tail.startsWith(shown)) this.tailNode.appendData(tail.slice(shown.length));
    else this.tailNode.data = tail;
    return true;
  }

  private forgetPlainTail(): void {
    this.tailNode = undefined;
    this.renderedPending = '';
  }

  private startStreamingCode(language: string): void {
    const pending = this.ensurePendingElement('code');
    const code = el('code');
    if (language !== '') code.className = `language-${language}`;
    this.codeNode = document.createTextNode('');
    code.append(this.codeNode);
    this.codeText.reset();
    pending.replaceChildren(createCodeBlock(language, el('pre', {}, code), false));
  }

  private appendCode(text: string): void {
    const visible = this.codeText.push(text);
    if (visible !== '') this.codeNode?.appendData(visible);
  }

  private ensurePendingElement(mode: PendingMode): HTMLElement {
    if (this.pendingElement === undefined) {
      this.pendingElement = el('div', { className: 'md-block md-pending' });
      this.element.append(this.pendingElement);
    }
    if (mode !== this.pendingMode) {
      this.pendingElement.replaceChildren();
      this.codeNode = undefined;
    this.forgetPlainTail();
      this.pendingMode = mode;
    }
    return this.pendingElement;
  }

  private removePending(): void {
    this.pendingElement?.remove();
    this.pendingElement = undefined;
    this.pendingMode = 'none';
    this.codeNode = undefined;
    this.forgetPlainTail();
  }
}

/** Elements that hold other blocks: the text of the block's last line is inside their last child. */
const BLOCK_CONTAINERS = new Set(['UL', 'OL', 'LI', 'BLOCKQUOTE']);
/** Elements whose text is the line's text. */
const TEXT_BLOCKS = new Set(['P', 'LI']);

/**
 * The element that shows the last line of rendered markdown (a paragraph or list item, maybe in
 * a list or quote), or undefined when the block ends with anything else (a table, code, a rule).
 */
function plainTailTarget(root: Element): Element | undefined {
  let element = lastBlockChild(root);
  while (element !== undefined) {
    const inner = BLOCK_CONTAINERS.has(element.tagName) ? lastBlockChild(element) : undefined;
    if (inner !== undefined && BLOCK_CONTAINERS.has(inner.tagName) || inner?.tagName === 'P') {
      element = inner;
      continue;
    }
    return TEXT_BLOCKS.has(element.tagName) ? element : undefined;
  }
  return undefined;
}

/** The last child element when nothing but white space follows it. */
function lastBlockChild(parent: Element): Element | undefined {
  const last = parent.lastElementChild;
  if (last === null) return undefined;
  for (let node = last.nextSibling; node !== null; node = node.nextSibling) {
    if (node.nodeType !== Node.TEXT_NODE || (node.textContent ?? '').trim() !== '') return undefined;
  }
  return last;
}
