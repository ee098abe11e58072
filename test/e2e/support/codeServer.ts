/**
 * A real VS Code (code-server, i.e. VS Code in the browser, served and hosting extensions on
 * the Node it needs) with the packaged extension installed, run in a profile of its own so
 * tests never touch the machine's settings or home folder. Two releases are installed
 * (scripts/setup-test-machine.sh): the oldest VS Code Patchbay supports, which every test runs
 * in, and the newest code-server in the npm registry, which the extension-host suite runs in too.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

/** A VS Code release as the tests run it: a code-server and the Node it is served on. */
export interface VsCodeRelease {
  /** How test titles name it: "the oldest VS Code Patchbay supports". */
  description: string;
  vsCodeVersion: string;
  codeServerVersion: string;
  nodeMajor: number;
  /** Where scripts/setup-test-machine.sh installs its code-server. */
  codeServerDir: string;
  /** Where scripts/setup-test-machine.sh installs its Node. */
  nodeDir: string;
}

/** The oldest VS Code Patchbay supports (engines.vscode): every end-to-end test runs in it. */
export const oldestRelease: VsCodeRelease = {
  description: 'the oldest VS Code Patchbay supports',
  vsCodeVersion: '1.106.3',
  codeServerVersion: '4.106.3',
  nodeMajor: 22,
  codeServerDir: process.env['PATCHBAY_CODE_SERVER_DIR'] ?? path.join(repoRoot, '.tools', 'code-server-4.106.3'),
  nodeDir: process.env['PATCHBAY_NODE22_DIR'] ?? path.join(repoRoot, '.tools', 'node-22'),
};

/** The newest code-server in the npm registry when last updated (with scripts/setup-test-machine.sh). */
export const newestRelease: VsCodeRelease = {
  description: 'the newest VS Code',
  vsCodeVersion: '1.139.1',
  codeServerVersion: '4.139.1',
  nodeMajor: 24,
  codeServerDir: process.env['PATCHBAY_NEWEST_CODE_SERVER_DIR'] ?? path.join(repoRoot, '.tools', 'code-server-4.139.1'),
  nodeDir: process.env['PATCHBAY_NODE24_DIR'] ?? path.join(repoRoot, '.tools', 'node-24'),
};

export function codeServerEntry(release: VsCodeRelease = oldestRelease): string {
  return path.join(codeServerPackage(release), 'out', 'node', 'entry.js');
}

/** The installed code-server package folder (its lib/vscode holds VS Code's product.json). */
export function codeServerPackage(release: VsCodeRelease = oldestRelease): string {
  return path.join(release.codeServerDir, 'node_modules', 'code-server');
}

/** The Node the release's code-server needs; the Node running the tests may be older. */
export function codeServerNode(release: VsCodeRelease = oldestRelease): string {
  return path.join(release.nodeDir, 'bin', 'node');
}

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  /** PATCHBAY_HOME for the extension: the "global" ~/.patchbay of this profile. */
  patchbayHome: string;
  configFile: string;
  /** The VS Code release the profile's extensions are installed in and that serves it. */
  release: VsCodeRelease;
}

/** A fresh profile with the .vsix installed and the given user settings. */
export function createProfile(vsixPath: string, settings: Record<string, unknown>, release: VsCodeRelease = oldestRelease): Profile {
  const root = mkdtempSync(path.join(os.tmpdir(), 'patchbay-e2e-'));
  const profile: Profile = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    patchbayHome: path.join(root, 'patchbay-home'),
    configFile: path.join(root, 'code-server.yaml'),
    release,
  };
  mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.patchbayHome, { recursive: true });
  writeFileSync(profile.configFile, 'auth: none\n');
  writeFileSync(
    path.join(profile.userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'security.workspace.trust.startupPrompt': 'never',
        'window.restoreWindows': 'all',
        ...settings,
      },
      null,
      2,
    ),
  );
  installExtension(profile, vsixPath);
  return profile;
}

/** Installs one more .vsix into the profile, with the code-server of its release. */
export function installExtension(profile: Profile, vsixPath: string): void {
  execFileSync(codeServerNode(profile.release), [codeServerEntry(profile.release), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', vsixPath], {
    stdio: 'pipe',
    env: isolatedEnv(profile),
  });
}

export interface RunningCodeServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startCodeServer(profile: Profile, options: { trustWorkspaces?: boolean; env?: Record<string, string> } = {}): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = [
    codeServerEntry(profile.release),
    '--config', profile.configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    ...(options.trustWorkspaces === false ? [] : ['--disable-workspace-trust']),
  ];
  // A process group of its own: stopping it stops the extension hosts code-server forked too.
  const child = spawn(codeServerNode(profile.release), args, { env: { ...isolatedEnv(profile), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  child.stdout?.on('data', (data: Buffer) => output.push(data.toString()));
  child.stderr?.on('data', (data: Buffer) => output.push(data.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, output);
  return {
    url,
    pid: child.pid ?? -1,
    stop: () => stopProcess(child),
  };
}

function isolatedEnv(profile: Profile): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: profile.root,
    XDG_CONFIG_HOME: path.join(profile.root, 'xdg-config'),
    XDG_DATA_HOME: path.join(profile.root, 'xdg-data'),
    PATCHBAY_HOME: profile.patchbayHome,
    // code-server asks its extension gallery (open-vsx.org) about extensions, the built-in
    // chat's among them; a test must not leave this machine, so the gallery is a closed port here.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: `${CLOSED_PORT_URL}/gallery`, itemUrl: `${CLOSED_PORT_URL}/item`, resourceUrlTemplate: `${CLOSED_PORT_URL}/{publisher}/{name}/{version}/{path}` }),
  };
}

/** Port 9 (discard) on the loopback: nothing listens, so a request fails at once. */
const CLOSED_PORT_URL = 'http://127.0.0.1:9';

async function waitUntilServing(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status === 302 || response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not start within 60 s:\n${output.join('')}`);
}

/**
 * Stops code-server and everything it started (its extension hosts outlive it otherwise): the
 * group is asked to end, then whatever of it is left is killed.
 */
function stopProcess(child: ChildProcess): Promise<void> {
  const group = child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (group === undefined) return;
    try {
      process.kill(-group, signal);
    } catch {
      // The group is gone already.
    }
  };
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signalGroup('SIGKILL');
      resolve();
    };
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    if (child.exitCode !== null || group === undefined) return finish();
    child.once('exit', finish);
    signalGroup('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
