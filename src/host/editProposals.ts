/**
 * Proposed edits in VS Code: `context.services.workspace.proposeEdit` for plugins, the
 * read-only documents that show a proposal in the diff editor, and Accept / Reject (from the
 * tool call's card and the diff editor's title bar).
 *
 * Accept applies the change with a WorkspaceEdit, so one undo reverts it, to the document's
 * text as VS Code has it (unsaved changes included, never the file behind the editor's back).
 * The file is then saved, unless it had unsaved changes of the user's before: those stay
 * unsaved with the change on top, for the user to review and save together.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { EditProposalReceipt, ProposedFileChange } from '../core/api';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import type { Logger } from '../core/ports';
import { editablePath, type WorkspaceRoot } from '../core/workspace/edits/editablePath';
import { EditRefused } from '../core/workspace/edits/editRefused';
import { proposedText, type EditProposal } from '../core/workspace/edits/editProposals';

/** The scheme of the proposed text's read-only documents (the diff editor's right side, and an empty left side for a new file). */
export const PROPOSAL_SCHEME = 'patchbay-proposal';
const BEFORE = 'before';

export class EditProposalsInEditor implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly services: ChatServices,
    private readonly log: Logger,
  ) {
    const proposals = services.proposals;
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
        provideTextDocumentContent: (uri) => {
          const { id, side } = proposalOfUri(uri) ?? {};
          const proposal = id === undefined ? undefined : proposals.get(id);
          return side === BEFORE ? '' : proposal?.proposedText ?? '';
        },
      }),
      vscode.commands.registerCommand('patchbay.acceptProposal', (target?: unknown) => this.decide(target, 'accept')),
      vscode.commands.registerCommand('patchbay.rejectProposal', (target?: unknown) => this.decide(target, 'reject')),
    ];
  }

  /** `context.services.workspace.proposeEdit` of the plugin `pluginId`. */
  proposeFor(pluginId: string): (change: ProposedFileChange) => Promise<EditProposalReceipt> {
    return (change) => this.propose(pluginId, change);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async propose(owner: string, change: ProposedFileChange): Promise<EditProposalReceipt> {
    if (!vscode.workspace.isTrusted) throw new EditRefused('the workspace is not trusted, so Patchbay does not propose edits to it');
    if (typeof change?.path !== 'string') throw new EditRefused('"path" must be a file path relative to the workspace folder');
    const target = await editablePath(change.path, workspaceRoots(), (absolute) => this.isAttached(absolute));
    const uri = vscode.Uri.file(target.absolute);
    const baseText = await currentText(uri);
    const proposal = this.services.proposals.add({
      owner,
      change: 'create' in change ? 'create' : 'edit',
      absolutePath: target.absolute,
      shownPath: target.shown,
      baseText,
      proposedText: proposedText(baseText, change),
    });
    const left = proposal.change === 'create' ? proposalUri(proposal, BEFORE) : uri;
    const title = `${proposal.shownPath} ↔ ${proposal.change === 'create' ? 'proposed new file' : 'proposed change'} (Patchbay)`;
    await vscode.commands.executeCommand('vscode.diff', left, proposalUri(proposal), title, { preview: false });
    return { id: proposal.id, path: proposal.shownPath, summary: proposal.summary };
  }

  /** A `.env*` file may be edited only when the user attached it to a question of the open conversation. */
  private isAttached(absolute: string): boolean {
    const shown = vscode.workspace.asRelativePath(vscode.Uri.file(absolute), false);
    return this.services.conversations.conversation.turns.some((turn) => turn.role === 'user' && turn.attachments.some((item) => item.kind === 'file' && item.label === shown));
  }

  private async decide(target: unknown, decision: 'accept' | 'reject'): Promise<void> {
    const proposals = this.services.proposals;
    const id = typeof target === 'string' ? target : proposalOfUri(target instanceof vscode.Uri ? target : activeProposalUri())?.id;
    const proposal = id === undefined ? undefined : proposals.get(id);
    if (!proposal) {
      void vscode.window.showWarningMessage('Patchbay: this proposal is no longer known (the window was reloaded); ask the model again.');
      return;
    }
    if (decision === 'reject') {
      if (proposals.settle(proposal.id, 'rejected')) await closeDiff(proposal);
      return;
    }
    try {
      const refusal = vscode.workspace.isTrusted ? await this.apply(proposal) : 'The workspace is not trusted, so Patchbay does not change its files.';
      if (refusal !== undefined) {
        proposals.refuse(proposal.id, refusal);
        void vscode.window.showWarningMessage(`Patchbay: ${proposal.shownPath} was not changed. ${refusal}`);
        return;
      }
      proposals.settle(proposal.id, 'accepted');
      await closeDiff(proposal);
    } catch (error) {
      const reason = `Applying it failed: ${describeError(error)}`;
      this.log.error(`accepting the proposal for ${proposal.shownPath} failed: ${describeError(error)}`);
      proposals.refuse(proposal.id, reason);
      void vscode.window.showErrorMessage(`Patchbay: ${proposal.shownPath} was not changed. ${reason}`);
    }
  }

  /** Applies an accepted proposal as one undo step; why not, when it cannot be. */
  private async apply(proposal: EditProposal): Promise<string | undefined> {
    const uri = vscode.Uri.file(proposal.absolutePath);
    for (const text of await textsToAcceptOn(uri)) {
      const refusal = this.services.proposals.checkAccept(proposal.id, text);
      if (refusal !== undefined) return refusal;
    }
    const edit = new vscode.WorkspaceEdit();
    if (proposal.change === 'create') {
      edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(proposal.proposedText) });
      return (await vscode.workspace.applyEdit(edit)) ? undefined : 'VS Code could not create the file.';
    }
    const document = await vscode.workspace.openTextDocument(uri);
    const hadUnsavedChanges = document.isDirty;
    const { start, end, text } = changedPart(document.getText(), proposal.proposedText);
    edit.replace(uri, new vscode.Range(document.positionAt(start), document.positionAt(end)), text);
    if (!(await vscode.workspace.applyEdit(edit))) return 'VS Code could not apply the change.';
    if (!hadUnsavedChanges) await document.save();
    return undefined;
  }
}

function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ name: folder.name, path: folder.uri.fsPath }));
}

/** The file's text as VS Code has it (an open document's, unsaved changes included); undefined when there is no such file. */
async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  return open ? open.getText() : diskText(uri);
}

/** The file's text as a document would have it: VS Code keeps a UTF-8 byte order mark out of the text (and writes it back on save). */
async function diskText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return (await readFile(uri.fsPath, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * What Accept must find unchanged: the open document's text (unsaved changes included) and,
 * unless it has unsaved changes, the file on disk too: an editor learns of a change on disk
 * only a moment later, and the save after the edit would write over it.
 */
async function textsToAcceptOn(uri: vscode.Uri): Promise<(string | undefined)[]> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) return [open.getText()];
  return [...(open ? [open.getText()] : []), await diskText(uri)];
}

/** Only the part that differs is replaced, so the cursor, folds and marks elsewhere stay put. */
function changedPart(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

function proposalUri(proposal: EditProposal, side?: typeof BEFORE): vscode.Uri {
  const query = new URLSearchParams({ id: proposal.id, ...(side ? { side } : {}) }).toString();
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${proposal.shownPath}`, query });
}

function proposalOfUri(uri: vscode.Uri | undefined): { id: string; side?: string } | undefined {
  if (uri?.scheme !== PROPOSAL_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const id = query.get('id');
  const side = query.get('side');
  return id === null ? undefined : { id, ...(side !== null ? { side } : {}) };
}

/** The proposal in the active diff editor (the title bar's buttons may come without an argument). */
function activeProposalUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input.modified : vscode.window.activeTextEditor?.document.uri;
}

async function closeDiff(proposal: EditProposal): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && proposalOfUri(tab.input.modified)?.id === proposal.id);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
