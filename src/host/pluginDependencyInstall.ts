/**
 * "Install Plugin Dependencies" (registered in pluginDependencies.ts), loaded when it first
 * runs or a plugin first fails to load: from the Command Palette, a Plugins view item, or the
 * notification offered when a folder plugin fails to load because a dependency its
 * package.json declares is not installed. The user sees what will be installed and confirms;
 * npm runs with a cancellable progress notification and writes to Patchbay's log; then the
 * plugin reloads. The plan, the command line and running npm are core (dependencyInstall.ts).
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { describeError } from '../core/errors';
import {
  DependencyInstallError,
  findNpm,
  installCommandLine,
  installDependencies,
  missingDeclaredDependency,
  missingPackageOf,
  planDependencyInstall,
  type DependencyInstallPlan,
} from '../core/plugins/dependencyInstall';
import type { PluginRecord } from '../core/plugins/pluginRuntime';
import { pluginFor } from './pluginPicker';
import type { PluginDependencyDeps } from './pluginDependencies';
import type { PluginNode } from './pluginsView';

const COMMAND = 'patchbay.installPluginDependencies';
const INSTALL = 'Install Dependencies';

function isFolderPluginOfUsersOrWorkspace(record: PluginRecord): boolean {
  const { candidate } = record;
  return candidate.kind === 'code' && candidate.source !== 'bundled' && candidate.location !== candidate.entryPath;
}

/** The way out of "Cannot find module 'x'" when package.json declares x. */
export async function offerInstall(record: PluginRecord, installing: Set<string>, offered: Set<string>): Promise<void> {
  if (record.status !== 'failed' || !record.detail || !isFolderPluginOfUsersOrWorkspace(record)) return;
  const { candidate } = record;
  const key = `${candidate.location}\0${record.detail}`;
  if (offered.has(key) || installing.has(candidate.location) || missingPackageOf(record.detail) === undefined) return;
  offered.add(key);
  const plan = await planDependencyInstall(candidate).catch(() => undefined);
  const missing = plan && missingDeclaredDependency(record.detail, plan);
  if (!missing) return;
  const choice = await vscode.window.showErrorMessage(
    `Patchbay: the plugin "${candidate.displayName}" failed to load: it needs "${missing.name}", which its package.json declares but which is not installed.`,
    INSTALL,
    'Show Logs',
  );
  if (choice === INSTALL) {
    const node: PluginNode = { type: 'plugin', record };
    await vscode.commands.executeCommand(COMMAND, node);
  } else if (choice === 'Show Logs') {
    await vscode.commands.executeCommand('patchbay.showLogs');
  }
}

export async function installFor(deps: PluginDependencyDeps, argument: unknown, installing: Set<string>): Promise<void> {
  const record = await pluginFor(deps.services, argument, {
    title: 'Patchbay: Install Plugin Dependencies',
    include: isFolderPluginOfUsersOrWorkspace,
    none: 'no folder plugin (a folder with a package.json) is installed in your global plugins folder or the workspace.',
  });
  if (!record) return;
  const { candidate } = record;
  if (candidate.source === 'workspace' && !vscode.workspace.isTrusted) {
    throw new DependencyInstallError(`"${candidate.displayName}" is a plugin of a workspace you have not trusted; Patchbay installs nothing for it. Trust the workspace first (Workspaces: Manage Workspace Trust).`);
  }
  if (installing.has(candidate.location)) {
    void vscode.window.showInformationMessage(`Patchbay: the dependencies of "${candidate.displayName}" are being installed already.`);
    return;
  }
  const plan = await planDependencyInstall(candidate);
  const npm = await findNpm();
  if (!npm) {
    throw new DependencyInstallError('npm was not found on the PATH of VS Code. Install Node.js (which comes with npm) or add npm\'s folder to the PATH, restart VS Code, then run "Patchbay: Install Plugin Dependencies" again.');
  }
  if (!(await confirm(plan))) return;
  installing.add(candidate.location);
  const log = (line: string) => deps.log.info(`npm (${candidate.id}): ${line}`);
  try {
    log(`${installCommandLine(plan)} in ${plan.folder} (${npm})`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Patchbay: installing the dependencies of "${candidate.displayName}"`, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return installDependencies(plan, {
          npm,
          signal: controller.signal,
          onOutput: (line) => {
            log(line);
            progress.report({ message: line.length > 80 ? `${line.slice(0, 79)}…` : line });
          },
        });
      },
    );
  } catch (error) {
    log(describeError(error));
    if (error instanceof DependencyInstallError && error.cancelled) {
      void vscode.window.showWarningMessage(`Patchbay: ${error.message}.`);
      return;
    }
    const choice = await vscode.window.showErrorMessage(`Patchbay: ${describeError(error)}`, 'Show Logs');
    if (choice === 'Show Logs') await vscode.commands.executeCommand('patchbay.showLogs');
    return;
  } finally {
    installing.delete(candidate.location);
  }
  log('done');
  await deps.syncPlugins({ changedLocations: new Set([candidate.location]) });
  await reportOutcome(deps.services, plan);
}

async function confirm(plan: DependencyInstallPlan): Promise<boolean> {
  const listed = plan.dependencies.map((dependency) => `${dependency.name} ${dependency.spec}${dependency.installed ? ' (installed now; npm checks it)' : ''}`);
  const workspaceNote = plan.source === 'workspace'
    ? '\n\nThis changes code the workspace plugin runs, so Patchbay asks again before running it.'
    : '';
  const choice = await vscode.window.showWarningMessage(
    `Install the dependencies of the plugin "${plan.displayName}"?`,
    {
      modal: true,
      detail: `${listed.join('\n')}\n\ninto ${plan.folder}, with:\n${installCommandLine(plan)}\n\nnpm downloads them from its registry (file: paths from the plugin's folder); no install scripts run.${workspaceNote}`,
    },
    'Install',
  );
  return choice === 'Install';
}

async function reportOutcome(services: ChatServices, plan: DependencyInstallPlan): Promise<void> {
  const now = services.plugins.records().find((record) => record.candidate.location === plan.folder);
  const installed = `Patchbay: installed the dependencies of "${plan.displayName}"`;
  if (now?.status === 'failed') {
    const choice = await vscode.window.showWarningMessage(`${installed}, but it still fails to load: ${now.detail ?? 'unknown error'}`, 'Show Logs');
    if (choice === 'Show Logs') await vscode.commands.executeCommand('patchbay.showLogs');
    return;
  }
  const state = now?.status === 'loaded' ? 'it is loaded' : now?.status === 'waiting-for-consent' ? 'it waits for your permission to run' : `it is ${now?.status ?? 'not found any more'}`;
  void vscode.window.showInformationMessage(`${installed}; ${state}.`);
}
