/**
 * Loads fixture plugins, written to a temporary global plugins folder, through the real
 * PluginRuntime with the isolated loader (each plugin in a worker of its own), and records what
 * they log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PluginLogger } from '../../../../src/core/api';
import { ContributionRegistry } from '../../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../../src/core/plugins/discovery';
import { isolatedModuleLoader, type IsolationOptions } from '../../../../src/core/plugins/isolation/isolatedModule';
import { PluginRuntime, type PluginRecord } from '../../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../../src/core/plugins/pluginSelection';

/** Built by test/unit/setup/buildBundledPlugins.ts (esbuild.mjs --plugins-only). */
export const workerPath = path.resolve(__dirname, '../../../../dist/pluginWorker.js');

export interface IsolatedPlugins {
  runtime: PluginRuntime;
  registry: ContributionRegistry;
  logs: string[];
  dir: string;
  status(id: string): PluginRecord | undefined;
  load(files: Record<string, string>, options?: { settings?: Record<string, Record<string, unknown>>; reloadAll?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function isolatedPlugins(options: Partial<Omit<IsolationOptions, 'onFailure'>> & { activationTimeoutMs?: number; secrets?: Record<string, string> } = {}): Promise<IsolatedPlugins> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-isolation-'));
  const registry = new ContributionRegistry();
  const logs: string[] = [];
  const loggerFor = (id: string): PluginLogger => ({
    info: (message) => logs.push(`${id} info: ${message}`),
    warn: (message) => logs.push(`${id} warn: ${message}`),
    error: (message) => logs.push(`${id} error: ${message}`),
  });
  const { activationTimeoutMs, secrets, ...isolation } = options;
  const runtime: PluginRuntime = new PluginRuntime({
    registry,
    loggerFor,
    activationTimeoutMs: activationTimeoutMs ?? 3_000,
    secret: async (owner, key) => secrets?.[`${owner.id}.${key}`],
    loadModule: isolatedModuleLoader({ workerPath, ...isolation, onFailure: (id, error) => void runtime.fail(id, error) }),
  });
  return {
    runtime,
    registry,
    logs,
    dir,
    status: (id) => runtime.plugins().find((record) => record.candidate.id === id),
    async load(files, { settings = {}, reloadAll = false } = {}) {
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
      const { candidates } = await discoverPlugins([{ dir, source: 'global' }]);
      await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: (id) => settings[id], reloadAll });
    },
    async close() {
      await runtime.unloadAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A plugin that stays healthy: its command answers while others misbehave. */
export const calmPlugin = `exports.activate = (ctx) => ctx.registerCommand({ id: 'ping', title: 'Ping', run: async () => ({ notify: 'pong from ' + ctx.pluginId }) });`;
