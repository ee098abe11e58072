/**
 * Edits a model proposes, kept until the user accepts or rejects each one. Nothing here
 * writes: a proposal is the file's text when it was proposed and the text it would have; the
 * editor applies an accepted one (as one undo step) after `checkAccept` says it still fits.
 */
import { Emitter } from '../../util/emitter';
import { applySearchReplace, type SearchReplaceEdit } from './searchReplace';
import type * as UnifiedDiff from './unifiedDiff';
import { EditRefused } from './editRefused';
import type { ProposalState } from './proposalState';

// The diff library loads with the first unified diff, not with the extension (late-modules.js).
const unifiedDiff = () => require('./unifiedDiff') as typeof UnifiedDiff;

/** What a model may propose for one file. */
export type ProposedChange =
  | { path: string; edits: SearchReplaceEdit[] }
  | { path: string; diff: string }
  | { path: string; content: string; create: true };

export { PROPOSAL_STATES, type ProposalState } from './proposalState';

export interface EditProposal {
  id: string;
  /** The plugin that proposed it. */
  owner: string;
  /** `create`: a new file; `edit`: a change to one that exists. */
  change: 'edit' | 'create';
  absolutePath: string;
  /** As the chat shows it (see editablePath.ts). */
  shownPath: string;
  /** The file's text when proposed; undefined for a file that did not exist. */
  baseText: string | undefined;
  proposedText: string;
  state: ProposalState;
  /** e.g. `+3 −1 lines`. */
  summary: string;
  /** Why Accept did not apply it, for its card. */
  note?: string;
}

/** Shown when Accept finds the file no longer as it was proposed against. */
export const STALE_PROPOSAL = 'The file changed since the proposal; ask again.';

/** The text the change gives a file whose text is `current` (undefined: the file does not exist). */
export function proposedText(current: string | undefined, change: ProposedChange): string {
  if ('create' in change) {
    if (current !== undefined) throw new EditRefused(`"${change.path}" already exists; propose changes to it with propose_edit instead`);
    return change.content;
  }
  if (current === undefined) throw new EditRefused(`"${change.path}" does not exist; create it with create_file instead`);
  const next = 'diff' in change ? unifiedDiff().applyUnifiedDiff(current, change.diff) : applySearchReplace(current, change.edits);
  if (next === current) throw new EditRefused('the change leaves the file as it is; nothing to propose');
  return next;
}

/** Whether a proposal was made against another text than the file has now. */
export function isStale(proposal: Pick<EditProposal, 'baseText'>, current: string | undefined): boolean {
  return proposal.baseText !== current;
}

export class EditProposals {
  private readonly byId = new Map<string, EditProposal>();
  private readonly changed = new Emitter<EditProposal>();
  /** A proposal was decided (its state changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly newId: () => string) {}

  add(fields: Omit<EditProposal, 'id' | 'state' | 'summary'>): EditProposal {
    const proposal: EditProposal = { ...fields, id: this.newId(), state: 'pending', summary: lineSummary(fields.baseText ?? '', fields.proposedText) };
    this.byId.set(proposal.id, proposal);
    return proposal;
  }

  get(id: string): EditProposal | undefined {
    return this.byId.get(id);
  }

  /** Why the proposal cannot be accepted now that the file's text is `current`; undefined when it can. */
  checkAccept(id: string, current: string | undefined): string | undefined {
    const proposal = this.byId.get(id);
    if (!proposal) return 'This proposal is no longer known (the window was reloaded); ask again.';
    if (proposal.state !== 'pending') return `This proposal was already ${proposal.state}.`;
    if (isStale(proposal, current)) return STALE_PROPOSAL;
    return undefined;
  }

  /** Records the user's decision; a decided proposal stays as it was decided. */
  settle(id: string, state: Exclude<ProposalState, 'pending'>): EditProposal | undefined {
    const proposal = this.byId.get(id);
    if (!proposal || proposal.state !== 'pending') return undefined;
    proposal.state = state;
    delete proposal.note;
    this.changed.fire(proposal);
    return proposal;
  }

  /** Accept was refused (see `checkAccept`): the proposal stays as it was, with the reason shown. */
  refuse(id: string, note: string): void {
    const proposal = this.byId.get(id);
    if (!proposal) return;
    proposal.note = note;
    this.changed.fire(proposal);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Lines added and removed, counted line by line from both ends (enough for a card's summary). */
function lineSummary(before: string, after: string): string {
  const old = before === '' ? [] : before.split('\n');
  const next = after === '' ? [] : after.split('\n');
  let start = 0;
  while (start < old.length && start < next.length && old[start] === next[start]) start++;
  let end = 0;
  while (end < old.length - start && end < next.length - start && old[old.length - 1 - end] === next[next.length - 1 - end]) end++;
  return `+${next.length - start - end} −${old.length - start - end} lines`;
}
