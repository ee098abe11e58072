/**
 * Installing a folder plugin's npm dependencies: what its package.json declares (the plan the
 * user sees before anything runs), the npm command line, telling a load failure caused by a
 * declared but missing dependency, and running npm in the plugin's folder with cancellation.
 * npm runs with `--ignore-scripts`, so installing runs none of the packages' code; what it
 * writes into `node_modules` is code the plugin then loads, so a workspace plugin's consent
 * fingerprint (fingerprint.ts) changes and the user is asked again before it runs.
 */
import { spawn } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJsonFile } from '../util/jsonText';
import type { PluginCandidate } from './pluginCandidate';

/** Production dependencies only, no install scripts, no audit or funding requests. */
export const NPM_INSTALL_ARGS: readonly string[] = ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];

export interface DeclaredDependency {
  name: string;
  /** What package.json asks for: a version range, a `file:` path, a URL… */
  spec: string;
  /** Whether `node_modules/<name>` holds a package now. */
  installed: boolean;
}

export interface DependencyInstallPlan {
  pluginId: string;
  displayName: string;
  source: PluginCandidate['source'];
  /** The plugin's folder: where npm runs. */
  folder: string;
  dependencies: DeclaredDependency[];
  args: readonly string[];
}

export class DependencyInstallError extends Error {
  constructor(message: string, readonly cancelled = false) {
    super(message);
    this.name = 'DependencyInstallError';
  }
}

/** What installing the plugin's dependencies would install, read from its package.json. */
export async function planDependencyInstall(candidate: PluginCandidate): Promise<DependencyInstallPlan> {
  const name = `"${candidate.displayName}"`;
  if (candidate.source === 'bundled') throw new DependencyInstallError(`${name} is bundled with Patchbay and comes with its dependencies`);
  if (candidate.kind !== 'code' || candidate.location === candidate.entryPath) {
    throw new DependencyInstallError(`${name} is not a folder plugin with a package.json, so it declares no dependencies to install`);
  }
  const folder = candidate.location;
  const manifestPath = path.join(folder, 'package.json');
  let manifest: unknown;
  try {
    manifest = parseJsonFile(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new DependencyInstallError(`${manifestPath} cannot be read: ${(error as Error).message}`);
  }
  const declared = (manifest as { dependencies?: unknown } | null)?.dependencies;
  if (declared === undefined || (typeof declared === 'object' && declared !== null && Object.keys(declared).length === 0)) {
    throw new DependencyInstallError(`${name} declares no "dependencies" in ${manifestPath}; there is nothing to install`);
  }
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    throw new DependencyInstallError(`"dependencies" in ${manifestPath} must be an object of package names and versions`);
  }
  const dependencies: DeclaredDependency[] = [];
  for (const [dependency, spec] of Object.entries(declared as Record<string, unknown>)) {
    if (typeof spec !== 'string') throw new DependencyInstallError(`"dependencies"."${dependency}" in ${manifestPath} must be a string (a version, or a file: path)`);
    dependencies.push({ name: dependency, spec, installed: await exists(path.join(folder, 'node_modules', dependency, 'package.json')) });
  }
  if (candidate.source === 'workspace' && (await exists(path.join(folder, '.npmrc')))) {
    // A project .npmrc configures npm itself (which git or shell it runs, which registry it
    // trusts): a repository must not choose how npm runs on the user's machine.
    throw new DependencyInstallError(`${name} has its own .npmrc (${path.join(folder, '.npmrc')}), which would configure how npm runs; Patchbay does not install a workspace plugin's dependencies with it. Remove it, or install them yourself`);
  }
  return { pluginId: candidate.id, displayName: candidate.displayName, source: candidate.source, folder, dependencies, args: NPM_INSTALL_ARGS };
}

/** The command as the user would type it, for the confirmation and the log. */
export function installCommandLine(plan: Pick<DependencyInstallPlan, 'args'>): string {
  return ['npm', ...plan.args].join(' ');
}

/**
 * The package a "Cannot find module 'x'" (CommonJS) or "Cannot find package 'x'" (ES
 * module) error names: `x` itself, or the package of a path inside it (`@scope/pkg/sub` →
 * `@scope/pkg`). Undefined for any other error, or a missing relative or absolute file.
 */
export function missingPackageOf(errorText: string): string | undefined {
  const named = /Cannot find (?:module|package) '([^']+)'/.exec(errorText)?.[1];
  if (named === undefined || named.startsWith('.') || named.startsWith('node:') || path.isAbsolute(named) || /^[A-Za-z]:[\\/]/.test(named)) return undefined;
  const parts = named.split('/');
  return named.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The declared dependency whose absence made a plugin fail to load, if that is why it failed. */
export function missingDeclaredDependency(errorText: string, plan: Pick<DependencyInstallPlan, 'dependencies'>): DeclaredDependency | undefined {
  const missing = missingPackageOf(errorText);
  return missing === undefined ? undefined : plan.dependencies.find((dependency) => dependency.name === missing);
}

/** The `npm` on the PATH (with the Windows extensions PATHEXT lists), or undefined. */
export async function findNpm(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const pathVariable = env['PATH'] ?? env['Path'] ?? '';
  const extensions = platform === 'win32' ? (env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : [''];
  for (const folder of pathVariable.split(platform === 'win32' ? ';' : ':').filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = path.join(folder, `npm${extension}`);
      if (await access(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK).then(() => true, () => false)) return candidate;
    }
  }
  return undefined;
}

export interface InstallOptions {
  /** The npm executable (see findNpm). */
  npm: string;
  /** Stop: npm and everything it started is killed. */
  signal?: AbortSignal;
  /** Each line npm writes, as it writes it. */
  onOutput(line: string, stream: 'stdout' | 'stderr'): void;
  env?: NodeJS.ProcessEnv;
}

/** How long npm gets to stop after being asked before it is killed outright. */
const KILL_AFTER_MS = 3_000;

/** Runs `npm install …` in the plugin's folder; resolves when npm succeeded. */
export function installDependencies(plan: Pick<DependencyInstallPlan, 'folder' | 'args'>, options: InstallOptions): Promise<void> {
  if (options.signal?.aborted) return Promise.reject(new DependencyInstallError('the install was cancelled before it started', true));
  const windows = process.platform === 'win32';
  return new Promise<void>((resolve, reject) => {
    const child = spawn(options.npm, [...plan.args], {
      cwd: plan.folder,
      // An update notice means nothing in Patchbay's log, and its check is a request of its own.
      env: { ...(options.env ?? process.env), npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that cancelling stops npm and the processes it started.
      detached: !windows,
      // npm on Windows is a .cmd script, which only a shell runs.
      shell: windows && /\.(cmd|bat)$/i.test(options.npm),
      windowsHide: true,
    });
    let cancelled = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const lastErrors: string[] = [];
    const kill = (signal: NodeJS.Signals) => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        if (windows) child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      cancelled = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_AFTER_MS);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    forEachLine(child.stdout, (line) => options.onOutput(line, 'stdout'));
    forEachLine(child.stderr, (line) => {
      options.onOutput(line, 'stderr');
      lastErrors.push(line);
      if (lastErrors.length > 5) lastErrors.shift();
    });
    const finish = (error?: Error) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (error) reject(error);
      else resolve();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(new DependencyInstallError(error.code === 'ENOENT' ? `npm could not be started: ${options.npm} does not exist` : `npm could not be started: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (cancelled) return finish(new DependencyInstallError('the install was cancelled; node_modules may be incomplete, so run it again before using the plugin', true));
      if (code === 0) return finish();
      const why = lastErrors.filter((line) => /\S/.test(line)).slice(-2).join(' ').trim();
      finish(new DependencyInstallError(`npm install failed in ${plan.folder} (${signal ? `stopped by ${signal}` : `exit code ${code}`})${why ? `: ${why}` : ''}; see "Patchbay: Show Logs" for all it wrote`));
    });
  });
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) if (line !== '') onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
