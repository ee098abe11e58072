/**
 * The tool calls of one answer, one card each in the order they arrived. A `toolCall` message
 * changes one card; a whole turn from the host (`turnUpdated`, `init`) is authoritative and adds,
 * updates and removes cards to match. Only changed cards are re-rendered, and cards are never
 * moved in the DOM without need (moving one would drop keyboard focus from its buttons).
 *
 *   div.tool-calls[hidden] > section.tool-call*   (see toolCallCard.ts)
 */
import type { ToolCallView } from '../../protocol/messages';
import { el } from '../dom';
import { ToolCallCard, type Announce } from './toolCallCard';

export class ToolCallList {
  readonly element = el('div', { className: 'tool-calls', hidden: true });
  private cards: ToolCallCard[] = [];
  private removed: ToolCallCard[] = [];
  private orderChanged = false;
  private answerRunning: boolean;

  constructor(calls: readonly ToolCallView[], answerRunning: boolean, private readonly announce: Announce) {
    this.answerRunning = answerRunning;
    this.sync(calls);
  }

  get isDirty(): boolean {
    return this.orderChanged || this.cards.some((card) => card.isDirty);
  }

  /** One call was added or changed. */
  upsert(call: ToolCallView): void {
    const card = this.cards.find((existing) => existing.id === call.id);
    if (card !== undefined) {
      card.update(call);
      return;
    }
    this.cards.push(new ToolCallCard(call, this.answerRunning, this.announce));
    this.orderChanged = true;
  }

  /** The answer's full list of calls. */
  sync(calls: readonly ToolCallView[]): void {
    const wanted = new Set(calls.map((call) => call.id));
    const kept = this.cards.filter((card) => wanted.has(card.id));
    if (kept.length !== this.cards.length) {
      this.removed.push(...this.cards.filter((card) => !wanted.has(card.id)));
      this.cards = kept;
      this.orderChanged = true;
    }
    for (const call of calls) this.upsert(call);
    const order = calls.map((call) => call.id).filter((id, index, ids) => ids.indexOf(id) === index);
    if (order.join('\n') !== this.cards.map((card) => card.id).join('\n')) {
      const byId = new Map(this.cards.map((card) => [card.id, card]));
      this.cards = order.map((id) => byId.get(id)).filter((card): card is ToolCallCard => card !== undefined);
      this.orderChanged = true;
    }
  }

  setAnswerRunning(running: boolean): void {
    this.answerRunning = running;
    for (const card of this.cards) card.setAnswerRunning(running);
  }

  /** The user chose on a card; false when that card is not waiting (any more). */
  decide(callId: string): boolean {
    return this.cards.find((card) => card.id === callId)?.decide() ?? false;
  }

  resultToggled(callId: string): void {
    this.cards.find((card) => card.id === callId)?.resultToggled();
  }

  /** The answer leaves the page. */
  dispose(): void {
    for (const card of this.cards) card.dispose();
  }

  render(): void {
    if (this.orderChanged) {
      this.orderChanged = false;
      for (const card of this.removed) {
        card.dispose();
        card.element.remove();
      }
      this.removed = [];
      let expected = this.element.firstChild;
      for (const card of this.cards) {
        if (card.element !== expected) this.element.insertBefore(card.element, expected);
        expected = card.element.nextSibling;
      }
      this.element.hidden = this.cards.length === 0;
    }
    for (const card of this.cards) card.render();
  }
}
