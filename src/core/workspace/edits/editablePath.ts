/**
 * Where a proposed edit may go: a file inside one of the workspace folders (see
 * workspacePaths.ts), and never a secrets file (`.env`, `.env.local`…) the user did not attach
 * to the question themselves.
 */
import path from 'node:path';
import { SECRETS_FILE, workspacePath, type WorkspaceRoot } from '../workspacePaths';
import { EditRefused } from './editRefused';

export type { WorkspaceRoot };

export interface EditablePath {
  absolute: string;
  /** As the chat shows it: relative to its folder, with the folder's name first in a multi-root workspace. */
  shown: string;
}

const EDITING = { done: 'edited', refuse: (message: string) => new EditRefused(message) };

/**
 * The file `requested` names (relative to the first workspace folder, or to the folder whose
 * name it starts with, or absolute inside one), or an EditRefused saying why not.
 * `attached` says whether the user attached that file to the conversation.
 */
export async function editablePath(requested: string, roots: readonly WorkspaceRoot[], attached: (absolute: string) => boolean = () => false): Promise<EditablePath> {
  if (roots.length === 0) throw new EditRefused('no workspace folder is open, so there is nowhere to edit');
  const { absolute, shown } = await workspacePath(requested, roots, EDITING);
  if (SECRETS_FILE.test(path.basename(absolute)) && !attached(absolute)) {
    throw new EditRefused(`"${requested}" is a secrets file (.env*); Patchbay proposes edits to it only when the user has attached it to the question`);
  }
  return { absolute, shown };
}
