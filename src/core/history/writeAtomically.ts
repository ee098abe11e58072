/**
 * Writing a file so that a crash mid-write never leaves it half-written: the history must
 * survive VS Code being killed while a conversation is being saved.
 */
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';

/** Temporary file, then rename: the old file stays whole until the new one is complete. */
export async function writeAtomically(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { flush: true });
  await rename(temporary, file);
}
