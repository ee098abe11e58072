/**
 * A question as the user wrote it: plain text (never markdown, never HTML), the labels of the
 * editor content that went with it, and its buttons (Edit, Copy, Delete), which the
 * transcript's one click listener finds by `data-action`. Built once; user turns rarely change.
 *
 *   article.turn.turn-user[data-turn-id][aria-label=You][.being-edited]
 *     div.turn-header > span.turn-role
 *       + div.message-actions[role=group][aria-label="Message actions"]
 *         > button[data-action=edit] "Edit" + button[data-action=copyMessage] "Copy" + button[data-action=deleteTurn] "Delete"
 *     div.user-text
 *     ul.attachments > li.attachment[title]
 *     ul.turn-images[aria-label="Images"] > li.turn-image > img[data-image-sha][alt=<name>]
 */
import type { UserTurn } from '../../protocol/messages';
import { button, el } from '../dom';
import { chipKindName } from './contextChipText';
import { thumbnailOf } from './imageThumbnails';

/** The buttons of a question: label and `data-action` (the transcript maps it to what it does). */
export const QUESTION_ACTIONS: ReadonlyArray<{ label: string; action: 'edit' | 'copyMessage' | 'deleteTurn' }> = [
  { label: 'Edit', action: 'edit' },
  { label: 'Copy', action: 'copyMessage' },
  { label: 'Delete', action: 'deleteTurn' },
];

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

  get text(): string {
    return this.turn.text;
  }

  update(turn: UserTurn): void {
    this.turn = turn;
    this.build();
  }

  /** Marks the question while the input edits it. */
  setBeingEdited(editing: boolean): void {
    this.element.classList.toggle('being-edited', editing);
  }

  private build(): void {
    const { turn } = this;
    const actions = el('div', { className: 'message-actions', attrs: { role: 'group', 'aria-label': 'Message actions' } },
      ...QUESTION_ACTIONS.map(({ label, action }) => button(label, label, { className: 'message-action', attrs: { 'data-action': action } })));
    const parts: Node[] = [
      el('div', { className: 'turn-header' }, el('span', { className: 'turn-role', text: 'You' }), actions),
      el('div', { className: 'user-text', text: turn.text }),
    ];
    if (turn.attachments.length > 0) {
      parts.push(el('ul', { className: 'attachments', attrs: { 'aria-label': 'Attached context' } },
        ...turn.attachments.map((attachment) => el('li', {
          className: 'attachment',
          text: `📎 ${attachment.label}`,
          attrs: { title: `${chipKindName(attachment.kind)} ${attachment.label}` },
        }))));
    }
    if (turn.images?.length) {
      parts.push(el('ul', { className: 'turn-images', attrs: { 'aria-label': 'Images' } },
        ...turn.images.map((image) => {
          // The picture arrives after the turn (see imageThumbnails.ts); until then the name stands in.
          const picture = el('img', { className: 'turn-image-picture', attrs: { alt: image.name, title: image.name, 'data-image-sha': image.sha256 } });
          const known = thumbnailOf(image.sha256);
          if (known !== undefined) picture.src = known;
          return el('li', { className: 'turn-image' }, picture);
        })));
    }
    this.element.replaceChildren(...parts);
  }
}
