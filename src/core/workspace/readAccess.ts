/**
 * Which workspace files a tool may read, list or search: not those `.gitignore` or VS Code's
 * `files.exclude` leave out, nor `.env*` files, unless the user attached the file to the
 * conversation (then they chose to share it). The check of `.gitignore` itself is the host's
 * (git knows it best); this decides and words the refusal.
 */
import path from 'node:path';
import { SECRETS_FILE } from './workspacePaths';

export interface ReadFacts {
  /** As the chat shows it. */
  shown: string;
  attached: boolean;
  gitignored: boolean;
  excluded: boolean;
}

export class ReadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadRefused';
  }
}

/** Why the file may not be read, or undefined when it may. */
export function readRefusal(facts: ReadFacts): string | undefined {
  if (facts.attached) return undefined;
  const attach = 'the user can attach it to the conversation to share it';
  if (SECRETS_FILE.test(path.posix.basename(facts.shown))) return `"${facts.shown}" is a secrets file (.env*) and is not read; ${attach}`;
  if (facts.gitignored) return `"${facts.shown}" is ignored by .gitignore and is not read; ${attach}`;
  if (facts.excluded) return `"${facts.shown}" is excluded by the files.exclude setting and is not read; ${attach}`;
  return undefined;
}

/** The globs every listing and search leaves out besides files.exclude and .gitignore. */
export const ALWAYS_LEFT_OUT = ['!.git', '!.env', '!.env.*'];
