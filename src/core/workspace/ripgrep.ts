/**
 * Running the ripgrep binary VS Code ships (its `findTextInFiles` is not stable API): where
 * it is under the editor's install, the process with a cap and cancellation, and its `--json`
 * output read line by line as it comes, so a search stops as soon as the caps are full.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Where VS Code builds keep `rg`, under `vscode.env.appRoot`, most likely first. */
export function ripgrepCandidates(appRoot: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const folders = ['node_modules', 'node_modules.asar.unpacked', 'node_modules.asar'];
  return folders.flatMap((folder) => [
    path.join(appRoot, folder, '@vscode', 'ripgrep', 'bin', exe),
    // Newer builds carry every platform's binary in one package.
    path.join(appRoot, folder, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ]);
}

export interface RipgrepMatch {
  /** Relative to the folder searched, with `/`. */
  path: string;
  line: number;
  text: string;
}

/** One line of `rg --json`: a match, or undefined for anything else (begin, end, context, summary). */
export function parseRipgrepLine(line: string): RipgrepMatch | undefined {
  if (!line.startsWith('{"type":"match"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const data = (parsed as { data?: { path?: { text?: unknown; bytes?: unknown }; lines?: { text?: unknown; bytes?: unknown }; line_number?: unknown } }).data;
  const file = textOf(data?.path);
  if (file === undefined || typeof data?.line_number !== 'number') return undefined;
  return { path: ripgrepPath(file), line: data.line_number, text: (textOf(data.lines) ?? '').replace(/\r?\n$/, '') };
}

/** rg gives text as `text`, or, when it is not valid UTF-8, as base64 `bytes`. */
function textOf(value: { text?: unknown; bytes?: unknown } | undefined): string | undefined {
  if (typeof value?.text === 'string') return value.text;
  if (typeof value?.bytes === 'string') return Buffer.from(value.bytes, 'base64').toString('utf8');
  return undefined;
}

export interface RipgrepRun {
  /** Ran to the end, or was stopped by `onLine` returning false. */
  stopped: boolean;
}

/**
 * Runs rg in `cwd`, handing each line of its output to `onLine` until it returns false (then
 * the process is killed). Aborting `signal` kills it and rejects with the signal's reason.
 * Exit codes 0 and 1 (nothing found) are success; anything else rejects with rg's message.
 */
export function runRipgrep(rg: string, args: readonly string[], cwd: string, onLine: (line: string) => boolean, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<RipgrepRun> {
  return new Promise<RipgrepRun>((resolve, reject) => {
    if (options.signal?.aborted) return reject(options.signal.reason);
    const child = spawn(rg, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stopped = false;
    let failure: Error | undefined;
    let pending = '';
    let stderr = '';
    const stop = (why?: Error) => {
      if (why) failure ??= why;
      else stopped = true;
      child.kill();
    };
    const onAbort = () => stop(options.signal?.reason instanceof Error ? options.signal.reason : new Error('the search was cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs ? setTimeout(() => stop(new Error(`the search took longer than ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was stopped; narrow it with a glob`)), options.timeoutMs) : undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stopped || failure) return;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!onLine(line)) return stop();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => void (stderr.length < 2_000 && (stderr += chunk)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error.code === 'ENOENT' ? new Error(`ripgrep was not found at ${rg}`) : error;
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      if (!stopped && pending !== '') stopped = !onLine(pending);
      if (stopped || code === 0 || code === 1) return resolve({ stopped });
      // 2 also means some files could not be read while others were searched: not worth failing for.
      if (code === 2 && !/regex parse error|error parsing glob|unrecognized/i.test(stderr)) return resolve({ stopped });
      reject(new Error(`ripgrep failed: ${stderr.trim().split('\n').slice(0, 6).join(' ') || `exit code ${code}`}`));
    });
  });
}

/** A path ripgrep printed, relative to the folder it searched, without its leading `./` and with `/`. */
export function ripgrepPath(printed: string): string {
  return printed.replace(/^\.\//, '').split(path.sep).join('/');
}
