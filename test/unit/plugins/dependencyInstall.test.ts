/**
 * Install Plugin Dependencies, below VS Code: the plan read from a folder plugin's
 * package.json, a load failure told apart as a declared-but-missing dependency, a real
 * `npm install` of a dependency vendored as a tarball (`file:./vendor/dep-1.0.0.tgz`, npm kept
 * offline: no registry traffic) after which the plugin loads in its worker, and cancellation
 * that kills npm with what it started.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DependencyInstallError,
  findNpm,
  installCommandLine,
  installDependencies,
  missingDeclaredDependency,
  missingPackageOf,
  planDependencyInstall,
} from '../../../src/core/plugins/dependencyInstall';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { fingerprintPlugin } from '../../../src/core/plugins/fingerprint';
import type { PluginCandidate } from '../../../src/core/plugins/pluginCandidate';
import { isolatedPlugins, type IsolatedPlugins } from './isolation/isolationHarness';

const PLUGIN_SOURCE = `
const shout = require('dep');
exports.activate = (ctx) => ctx.registerTool({
  name: 'shout', description: 'Shouts.', parameters: { type: 'object', properties: { text: { type: 'string' } } },
  invoke: async (args) => shout(String(args.text)),
});`;

/** A package folder with no dependencies of its own, packed by `npm pack` (local, no registry). */
async function packDependency(into: string, npmEnv: NodeJS.ProcessEnv): Promise<string> {
  const source = await mkdtemp(path.join(os.tmpdir(), 'patchbay-dep-src-'));
  await writeFile(path.join(source, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'index.js' }));
  await writeFile(path.join(source, 'index.js'), 'module.exports = (text) => text.toUpperCase() + "!";');
  await mkdir(into, { recursive: true });
  execFileSync('npm', ['pack', '--pack-destination', into], { cwd: source, env: npmEnv, stdio: 'pipe' });
  await rm(source, { recursive: true, force: true });
  return path.join(into, 'dep-1.0.0.tgz');
}

describe('plugin dependencies: plan, missing-module errors, npm install', function () {
  this.timeout(60_000);
  let root: string;
  let npmEnv: NodeJS.ProcessEnv;

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-deps-')));
    // npm stays offline with a cache of its own: nothing reaches a registry or the real home.
    npmEnv = { ...process.env, npm_config_cache: path.join(root, 'npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function folderPlugin(folder: string, dependencies: Record<string, string> | undefined, source: PluginCandidate['source'] = 'global'): Promise<PluginCandidate> {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name: path.basename(folder), version: '1.0.0', main: 'index.js', patchbay: {}, ...(dependencies ? { dependencies } : {}) }));
    await writeFile(path.join(folder, 'index.js'), PLUGIN_SOURCE);
    const { candidates } = await discoverPlugins([{ dir: path.dirname(folder), source }]);
    return candidates.find((candidate) => candidate.location === folder)!;
  }

  it('plans exactly what package.json declares, with what is already installed, and the command npm runs', async () => {
    const folder = path.join(root, 'plan', 'weather');
    const candidate = await folderPlugin(folder, { dep: 'file:./vendor/dep-1.0.0.tgz', 'left-pad': '^1.3.0' });
    await mkdir(path.join(folder, 'node_modules', 'left-pad'), { recursive: true });
    await writeFile(path.join(folder, 'node_modules', 'left-pad', 'package.json'), '{"name":"left-pad","version":"1.3.0"}');
    const plan = await planDependencyInstall(candidate);
    assert.equal(plan.folder, folder);
    assert.deepEqual(plan.dependencies, [
      { name: 'dep', spec: 'file:./vendor/dep-1.0.0.tgz', installed: false },
      { name: 'left-pad', spec: '^1.3.0', installed: true },
    ]);
    assert.equal(installCommandLine(plan), 'npm install --omit=dev --ignore-scripts --no-audit --no-fund');
  });

  it('refuses, saying why, a plugin with nothing to install, a single file, a bundled plugin and a workspace plugin with its own .npmrc', async () => {
    const none = await folderPlugin(path.join(root, 'refusals', 'plain'), undefined);
    await assert.rejects(planDependencyInstall(none), /"plain" declares no "dependencies" in .*package\.json; there is nothing to install/);
    await assert.rejects(planDependencyInstall({ ...none, location: none.entryPath }), /not a folder plugin with a package\.json/);
    await assert.rejects(planDependencyInstall({ ...none, source: 'bundled' }), /bundled with Patchbay/);
    const workspaceFolder = path.join(root, 'workspace', '.patchbay', 'plugins', 'repo-plugin');
    const workspacePlugin = await folderPlugin(workspaceFolder, { dep: '1.0.0' }, 'workspace');
    await writeFile(path.join(workspaceFolder, '.npmrc'), 'git=/tmp/not-git\n');
    await assert.rejects(planDependencyInstall(workspacePlugin), (error: Error) => error instanceof DependencyInstallError && /has its own \.npmrc .*configure how npm runs/.test(error.message));
  });

  it('tells the package a module-not-found error names, and nothing for other errors or missing files', () => {
    assert.equal(missingPackageOf("Cannot find module 'left-pad'\nRequire stack:\n- /p/index.js"), 'left-pad');
    assert.equal(missingPackageOf("Cannot find module '@scope/tool/lib/x.js'"), '@scope/tool');
    assert.equal(missingPackageOf("Cannot find package 'yaml' imported from /p/index.mjs"), 'yaml');
    assert.equal(missingPackageOf("Cannot find module './helper.js'"), undefined);
    assert.equal(missingPackageOf("Cannot find module '/abs/x.js'"), undefined);
    assert.equal(missingPackageOf('activate is not a function'), undefined);
  });

  describe('a global folder plugin whose dependency is a vendored tarball', () => {
    let plugins: IsolatedPlugins;
    let folder: string;

    before(async () => {
      plugins = await isolatedPlugins();
      folder = path.join(plugins.dir, 'shouter');
      await packDependency(path.join(folder, 'vendor'), npmEnv);
      await folderPlugin(folder, { dep: 'file:./vendor/dep-1.0.0.tgz' });
    });

    after(() => plugins.close());

    it('fails to load with the missing dependency named, then loads in its worker once npm installed it', async () => {
      await plugins.load({});
      const failed = plugins.status('shouter');
      assert.equal(failed?.status, 'failed');
      const candidate = failed!.candidate;
      const plan = await planDependencyInstall(candidate);
      assert.deepEqual(missingDeclaredDependency(failed!.detail ?? '', plan), { name: 'dep', spec: 'file:./vendor/dep-1.0.0.tgz', installed: false });

      const npm = await findNpm(npmEnv);
      assert.ok(npm, 'npm is on the PATH');
      const output: string[] = [];
      await installDependencies(plan, { npm, env: npmEnv, onOutput: (line) => output.push(line) });
      assert.ok(output.some((line) => /added 1 package/.test(line)), output.join('\n'));
      assert.deepEqual(JSON.parse(await readFile(path.join(folder, 'node_modules', 'dep', 'package.json'), 'utf8')).version, '1.0.0');
      assert.deepEqual((await planDependencyInstall(candidate)).dependencies.map((dependency) => dependency.installed), [true]);

      await plugins.load({}, { reloadAll: true });
      assert.equal(plugins.status('shouter')?.status, 'loaded', plugins.status('shouter')?.detail);
      const tool = plugins.registry.tools().find((item) => item.owner === 'shouter')!;
      assert.equal(await tool.definition.invoke({ text: 'hi' }, { signal: new AbortController().signal, log: { info() {}, warn() {}, error() {} } }), 'HI!');
    });
  });

  it('changes a plugin\'s consent fingerprint, so a workspace plugin is asked about again', async () => {
    const folder = path.join(root, 'fingerprint', '.patchbay', 'plugins', 'repo-shouter');
    await packDependency(path.join(folder, 'vendor'), npmEnv);
    const candidate = await folderPlugin(folder, { dep: 'file:./vendor/dep-1.0.0.tgz' }, 'workspace');
    const before = await fingerprintPlugin(folder);
    await installDependencies(await planDependencyInstall(candidate), { npm: (await findNpm(npmEnv))!, env: npmEnv, onOutput: () => undefined });
    assert.notEqual(await fingerprintPlugin(folder), before);
  });

  it('says clearly when there is no npm on the PATH, and finds one that is', async () => {
    const empty = path.join(root, 'empty-bin');
    await mkdir(empty, { recursive: true });
    assert.equal(await findNpm({ PATH: empty }, 'linux'), undefined);
    const bin = path.join(root, 'bin-with-npm');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'npm'), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(bin, 'npm'), 0o755);
    assert.equal(await findNpm({ PATH: `${empty}:${bin}` }, 'linux'), path.join(bin, 'npm'));
  });

  it('cancelling kills npm and what it started, and says the install was cancelled', async function () {
    if (process.platform === 'win32') this.skip();
    // A stand-in for npm that starts a child of its own and writes its pid, then waits.
    const bin = path.join(root, 'slow-npm');
    await mkdir(bin, { recursive: true });
    const pidFile = path.join(bin, 'child.pid');
    await writeFile(path.join(bin, 'npm'), `#!/bin/sh\necho "resolving"\nsleep 60 &\necho $! > "${pidFile}"\nwait\n`);
    await chmod(path.join(bin, 'npm'), 0o755);
    const controller = new AbortController();
    const lines: string[] = [];
    const running = installDependencies({ folder: bin, args: ['install'] }, {
      npm: path.join(bin, 'npm'),
      signal: controller.signal,
      onOutput: (line) => {
        lines.push(line);
      },
    });
    const started = Date.now();
    while (!(await readFile(pidFile, 'utf8').then((text) => text.trim() !== '', () => false))) {
      if (Date.now() - started > 10_000) throw new Error('the stand-in npm did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    controller.abort();
    await assert.rejects(running, (error: Error) => error instanceof DependencyInstallError && error.cancelled && /cancelled/.test(error.message));
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    const alive = () => {
      try {
        process.kill(childPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waited = 0; alive() && waited < 3_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(alive(), false, 'the process npm started was stopped too');
    assert.deepEqual(lines, ['resolving']);
  });

  it('reports a failed npm with its exit code and last words', async () => {
    const bin = path.join(root, 'failing-npm');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'npm'), '#!/bin/sh\necho "npm error code ETARGET" >&2\necho "npm error notarget No matching version found for dep@9.9.9." >&2\nexit 1\n');
    await chmod(path.join(bin, 'npm'), 0o755);
    await assert.rejects(
      installDependencies({ folder: bin, args: ['install'] }, { npm: path.join(bin, 'npm'), onOutput: () => undefined }),
      /npm install failed in .* \(exit code 1\): npm error code ETARGET npm error notarget No matching version found for dep@9\.9\.9\./,
    );
  });
});
