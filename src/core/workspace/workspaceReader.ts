/**
 * The workspace's read services for plugins (`readFile`, `listFiles`, `searchText`), on the
 * file system and VS Code's ripgrep: confined to the workspace folders (workspacePaths.ts),
 * leaving out what `.gitignore`, `files.exclude` and `.env*` leave out (readAccess.ts), capped
 * (fileLines.ts). The editor's part (open documents, settings, attachments) is the port's.
 */
import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceFileList, WorkspaceFileRead, WorkspaceTextMatches, WorkspaceTextQuery } from '../api';
import { looksBinary, outline, READ_CAPS, sliceLines } from './fileLines';
import { globMatcher, globToRegExp, matchesAny, ripgrepExclude } from './globPattern';
import { ALWAYS_LEFT_OUT, ReadRefused, readRefusal } from './readAccess';
import { parseRipgrepLine, ripgrepPath, runRipgrep } from './ripgrep';
import { workspacePath, type WorkspacePath, type WorkspaceRoot } from './workspacePaths';

export interface WorkspaceReaderPort {
  roots(): readonly WorkspaceRoot[];
  /** The ripgrep binary, or undefined when it cannot be found. */
  ripgrep(): string | undefined;
  /** The folder's `files.exclude` patterns that are on. */
  excludes(root: WorkspaceRoot): readonly string[];
  /** The editor's text of the file when it is open in one. */
  openText(absolute: string): { text: string; dirty: boolean } | undefined;
  /** The user attached the file to the conversation. */
  attached(absolute: string): boolean;
  /** `.gitignore` (or git's other ignore files) leave the file out; defaults to asking git. */
  gitignored?(absolute: string, root: WorkspaceRoot): Promise<boolean>;
}

export const LIST_CAPS = { maxFiles: 500 };
export const SEARCH_CAPS = { maxMatches: 200, maxFiles: 50, lineChars: 240, timeoutMs: 20_000 };
/**
 * Larger files are not read at all, even in part: a read decodes, splits and outlines the whole
 * text in the extension host's thread (~30 ms at 10 MB, ~200 ms at 50 MB).
 */
const MAX_READ_BYTES = 10_000_000;

const READING = { done: 'read', refuse: (message: string) => new ReadRefused(message) };

export class WorkspaceReader {
  constructor(private readonly port: WorkspaceReaderPort) {}

  async readFile(requested: string, range: { startLine?: number; endLine?: number } = {}): Promise<WorkspaceFileRead> {
    const target = await workspacePath(String(requested), this.port.roots(), READING);
    const info = await stat(target.absolute).catch(() => undefined);
    if (!info) throw new ReadRefused(`"${target.shown}" does not exist; list_files shows the workspace's files`);
    if (info.isDirectory()) throw new ReadRefused(`"${target.shown}" is a folder; list_files shows what is in it`);
    await this.checkReadable(target);
    const ranged = range.startLine !== undefined || range.endLine !== undefined;
    const opened = this.port.openText(target.absolute);
    const size = opened ? Buffer.byteLength(opened.text, 'utf8') : info.size;
    if (size > MAX_READ_BYTES) throw new ReadRefused(`"${target.shown}" is ${megabytes(size)}, too large to read`);
    if (!opened && (await startsBinary(target.absolute))) return { kind: 'binary', path: target.shown, bytes: info.size };
    const text = opened?.text ?? (await readText(target.absolute));
    if (!ranged && Buffer.byteLength(text, 'utf8') > READ_CAPS.outlineAbove) {
      const totalLines = sliceLines(text, { startLine: 1, endLine: 1 }).totalLines;
      return { kind: 'outline', path: target.shown, bytes: Buffer.byteLength(text, 'utf8'), totalLines, outline: outline(text) };
    }
    let slice;
    try {
      slice = sliceLines(text, range);
    } catch (error) {
      throw new ReadRefused(`"${target.shown}": ${(error as Error).message}`);
    }
    return { kind: 'text', path: target.shown, startLine: slice.startLine, endLine: slice.endLine, totalLines: slice.totalLines, text: slice.text, unsaved: opened?.dirty === true, ...(slice.cut ? { cut: slice.cut } : {}) };
  }

  async listFiles(options: { glob?: string; folder?: string } = {}): Promise<WorkspaceFileList> {
    const rg = this.ripgrepOrThrow();
    const roots = this.port.roots();
    let places: { root: WorkspaceRoot; relative: string }[];
    if (options.folder !== undefined && options.folder.trim() !== '' && options.folder.trim() !== '.') {
      const target = await workspacePath(options.folder, roots, READING, true);
      const info = await stat(target.absolute).catch(() => undefined);
      if (!info?.isDirectory()) throw new ReadRefused(`"${options.folder}" is not a folder of the workspace`);
      if (target.relative !== '') await this.checkReadable(target);
      places = [{ root: target.root, relative: target.relative }];
    } else {
      if (roots.length === 0) throw new ReadRefused('no workspace folder is open');
      places = roots.map((root) => ({ root, relative: '' }));
    }
    const files: string[] = [];
    let total = 0;
    const wanted = wantedBy(options.glob);
    for (const { root, relative } of places) {
      const args = ['--files', '--hidden', '--sort', 'path', ...this.leftOutArgs(root), '--', relative === '' ? '.' : relative];
      await runRipgrep(rg, args, root.path, (line) => {
        if (line === '') return true;
        const found = ripgrepPath(line);
        if (!wanted(found)) return true;
        total += 1;
        if (files.length < LIST_CAPS.maxFiles) files.push(shownPath(roots, root, found));
        return true;
      }, { timeoutMs: SEARCH_CAPS.timeoutMs });
    }
    return { files, total };
  }

  async searchText(query: WorkspaceTextQuery, options: { signal?: AbortSignal } = {}): Promise<WorkspaceTextMatches> {
    if (typeof query?.query !== 'string' || query.query === '') throw new ReadRefused('the search text is empty');
    const rg = this.ripgrepOrThrow();
    const roots = this.port.roots();
    if (roots.length === 0) throw new ReadRefused('no workspace folder is open');
    const matches: WorkspaceTextMatches['matches'] = [];
    const files = new Set<string>();
    const wanted = wantedBy(query.glob);
    let truncated = false;
    for (const root of roots) {
      if (truncated) break;
      const args = ['--json', '--hidden', query.isRegex ? '--regexp' : '--fixed-strings', ...(query.isRegex ? [] : ['--regexp']), query.query, query.caseSensitive ? '--case-sensitive' : '--ignore-case', ...this.leftOutArgs(root), '--', '.'];
      await runRipgrep(rg, args, root.path, (line) => {
        const match = parseRipgrepLine(line);
        if (!match || !wanted(match.path)) return true;
        const shown = shownPath(roots, root, match.path);
        if (!files.has(shown) && files.size >= SEARCH_CAPS.maxFiles) return !(truncated = true);
        files.add(shown);
        matches.push({ path: shown, line: match.line, text: match.text.trim().slice(0, SEARCH_CAPS.lineChars) });
        if (matches.length >= SEARCH_CAPS.maxMatches) return !(truncated = true);
        return true;
      }, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: SEARCH_CAPS.timeoutMs });
    }
    return { matches, truncated };
  }

  /** A workspace file (relative or absolute path) a tool may show what is in it, or the refusal. */
  async readablePath(requested: string): Promise<{ absolute: string; shown: string }> {
    const target = await workspacePath(requested, this.port.roots(), READING);
    await this.checkReadable(target);
    return { absolute: target.absolute, shown: target.shown };
  }

  private async checkReadable(target: WorkspacePath): Promise<void> {
    const excludes = this.port.excludes(target.root).map(globToRegExp);
    const gitignored = this.port.gitignored ?? gitCheckIgnore;
    const attached = this.port.attached(target.absolute);
    const refusal = readRefusal({
      shown: target.shown,
      attached,
      excluded: matchesAny(target.relative, excludes),
      gitignored: !attached && (await gitignored(target.absolute, target.root)),
    });
    if (refusal) throw new ReadRefused(refusal);
  }

  /** What is never shown, as ripgrep's excluding globs (the model's glob is matched in wantedBy). */
  private leftOutArgs(root: WorkspaceRoot): string[] {
    return [...ALWAYS_LEFT_OUT, ...this.port.excludes(root).map(ripgrepExclude)].flatMap((pattern) => ['--glob', pattern]);
  }

  private ripgrepOrThrow(): string {
    const rg = this.port.ripgrep();
    if (!rg) throw new Error('the ripgrep binary that VS Code ships could not be found, so the workspace cannot be listed or searched');
    return rg;
  }
}

function wantedBy(glob: string | undefined): (relative: string) => boolean {
  return glob === undefined || glob.trim() === '' ? () => true : globMatcher(glob);
}

function shownPath(roots: readonly WorkspaceRoot[], root: WorkspaceRoot, relative: string): string {
  return roots.length > 1 ? `${root.name}/${relative}` : relative;
}

/**
 * What git says: `check-ignore --no-index` judges the path by the ignore rules alone (as
 * ripgrep does, tracked or not), leading folders included. Outside a repository (exit 128)
 * nothing is ignored; git missing is an error, not a pass.
 */
export function gitCheckIgnore(absolute: string, root: WorkspaceRoot): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile('git', ['check-ignore', '--no-index', '-q', '--', path.relative(root.path, absolute)], { cwd: root.path, windowsHide: true }, (error) => {
      if (!error) return resolve(true);
      const code: unknown = (error as { code?: unknown }).code;
      if (code === 1 || code === 128) return resolve(false);
      reject(new ReadRefused(`could not check whether the file is ignored by .gitignore (${code === 'ENOENT' ? 'git is not installed' : error.message}), so it is not read`));
    });
  });
}

async function startsBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8_000), 0, 8_000, 0);
    return looksBinary(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function readText(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    return (await handle.readFile()).toString('utf8');
  } finally {
    await handle.close();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
