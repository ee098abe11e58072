/**
 * A unified diff for one file, applied with jsdiff (`diff`): every hunk's context and removed
 * lines must be in the file as written (no fuzz), so a diff made against another version of
 * the file is refused, naming the hunk, rather than applied somewhere it was not meant for.
 */
import { applyPatch, parsePatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';
import { EditRefused } from './editRefused';

export function applyUnifiedDiff(text: string, diff: string): string {
  const patch = onePatch(diff);
  const applied = applyPatch(text, patch);
  if (applied !== false) return applied;
  const failing = patch.hunks.findIndex((hunk) => applyPatch(text, { ...patch, hunks: [hunk] }) === false);
  if (failing === -1) throw new EditRefused('the hunks do not apply in order: each must come after the one before it in the file');
  const hunk = patch.hunks[failing] as StructuredPatchHunk;
  const which = patch.hunks.length > 1 ? `hunk ${failing + 1} of ${patch.hunks.length} ` : 'the hunk ';
  throw new EditRefused(`${which}(${header(hunk)}) does not match the file: its context or removed lines are not in the file as written; read the file again and make the diff against it`);
}

function onePatch(diff: string): StructuredPatch {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(diff);
  } catch (error) {
    throw new EditRefused(`the diff is not a unified diff: ${(error as Error).message}`);
  }
  const withHunks = patches.filter((patch) => patch.hunks.length > 0);
  if (withHunks.length === 0) throw new EditRefused('the diff has no hunks (lines starting with "@@ -a,b +c,d @@")');
  if (withHunks.length > 1) throw new EditRefused(`the diff changes ${withHunks.length} files; propose one file's changes per call`);
  return withHunks[0] as StructuredPatch;
}

function header(hunk: StructuredPatchHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}
