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
 *
 * A finished text far off screen can be parked: its DOM (thousands of nodes for a long answer
 * with highlighted code) is dropped and only the text (as UTF-8: half the size of a string with
 * any character beyond Latin-1) and each block's height are kept. Restoring
 * renders it again, block by block within the frame budget, each block sized as it was until it is
 * laid out, and the container held at its old height meanwhile, so nothing around it moves.
 */
import { el } from '../dom';
import { MarkdownBlockSplitter } from './blockSplitter';
import { createCodeBlock } from './codeBlocks';
import { renderMarkdownInto } from './markdown';
import { StreamingCodeText } from './streamingCodeText';
import { plainTextTail } from './plainTextTail';
import { restoredBlockSize, type ParkingMeasure } from './parkedBlocks';
import { UpdatePacer } from './updatePacer';

type PendingMode = 'none' | 'markdown' | 'code';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

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
  /** The DOM was dropped (see park); the text is all that is kept, here instead of `fullText`. */
  private parkedText: Uint8Array | undefined;
  /** Heights of the blocks as they were when parked, in px; given to the blocks rendered again. */
  private parkedHeights: readonly number[] = [];
  /** Blocks rendered since the text was last started over or restored (indexes parkedHeights). */
  private blocksRendered = 0;

  constructor(readonly element: HTMLElement) {}

  /** Everything appended so far. */
  get text(): string {
    return this.parkedText === undefined ? this.fullText : utf8Decoder.decode(this.parkedText);
  }

  get isParked(): boolean {
    return this.parkedText !== undefined;
  }

  /** True when `render` has something to do. */
  get isDirty(): boolean {
    return this.finishedBlocks.length > 0 || this.pendingChanged;
  }

  append(chunk: string): void {
    if (chunk === '') return;
    if (this.finished) {
      // Text after the end (not expected from the host): start over from the whole text.
      this.replace(this.text + chunk, false);
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
    const current = this.text;
    // The host's copy of the same text: keep one of the two (a long answer's text is kept for good).
    if (text === current && !this.isParked) this.fullText = text;
    if (text.startsWith(current) && !(this.finished && text !== current)) {
      this.append(text.slice(current.length));
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
    this.parkedText = undefined;
    this.endRestore();
  }

  /**
   * The heights of the rendered blocks, read before any of this frame's DOM writes (a layout
   * read after a write would force a layout of its own). Undefined when the text cannot be
   * parked: it is still streaming, has changes to render, or is parked already.
   */
  measureForParking(): ParkingMeasure | undefined {
    if (!this.finished || this.isDirty || this.isParked || this.element.childElementCount === 0) return undefined;
    const blocks = Array.from(this.element.children, (child) => Math.round(child.getBoundingClientRect().height));
    return { height: this.element.getBoundingClientRect().height, blocks };
  }

  /** Drops the DOM and keeps the text and the measured heights (see measureForParking). */
  park(measure: ParkingMeasure): void {
    if (!this.finished || this.isDirty || this.isParked) return;
    this.parkedText = utf8Encoder.encode(this.fullText);
    this.fullText = '';
    this.parkedHeights = measure.blocks;
    this.element.style.minHeight = `${measure.height}px`;
    this.element.replaceChildren();
  }

  /** Renders a parked text again (in the next renders, within their budget). */
  restore(): void {
    if (this.parkedText === undefined) return;
    this.fullText = utf8Decoder.decode(this.parkedText);
    this.parkedText = undefined;
    this.blocksRendered = 0;
    for (const block of this.splitter.append(this.fullText)) this.finishedBlocks.push(block);
    for (const block of this.splitter.finish()) this.finishedBlocks.push(block);
    if (this.finishedBlocks.length === 0) this.endRestore();
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
      this.endRestore();
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
    const size = restoredBlockSize(this.parkedHeights, this.blocksRendered++);
    if (size !== undefined) block.style.containIntrinsicSize = size;
    this.element.insertBefore(block, this.pendingElement ?? null);
  }

  /** Every block is back (or the text started over): the container takes its own height again. */
  private endRestore(): void {
    if (this.parkedHeights.length === 0 && this.element.style.minHeight === '') return;
    this.parkedHeights = [];
    this.element.style.minHeight = '';
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
