/**
 * A question as the user wrote it: plain text (never markdown, never HTML) and the labels of
 * the editor content that went with it. Built once; user turns do not change.
 *
 *   article.turn.turn-user[data-turn-id]
 *     div.turn-header > span.turn-role
 *     div.user-text
 *     ul.attachments > li.attachment[title]
 */
import type { UserTurn } from '../../protocol/messages';
import { el } from '../dom';

export class UserTurnView {
  readonly element: HTMLElement;

  constructor(private turn: UserTurn) {
    this.element = el('article', { className: 'turn turn-user', attrs: { 'aria-label': 'You' } });
    this.element.dataset.turnId = turn.id;
    this.build();
  }

  get id(): string {
    return this.turn.id;
  }

  update(turn: UserTurn): void {
    this.turn = turn;
    this.build();
  }

  private build(): void {
    const { turn } = this;
    const parts: Node[] = [
      el('div', { className: 'turn-header' }, el('span', { className: 'turn-role', text: 'You' })),
      el('div', { className: 'user-text', text: turn.text }),
    ];
    if (turn.attachments.length > 0) {
      parts.push(el('ul', { className: 'attachments', attrs: { 'aria-label': 'Attached context' } },
        ...turn.attachments.map((attachment) => el('li', {
          className: 'attachment',
          text: `📎 ${attachment.label}`,
          attrs: { title: attachment.kind === 'file' ? `File ${attachment.label}` : `Selection ${attachment.label}` },
        }))));
    }
    this.element.replaceChildren(...parts);
  }
}
