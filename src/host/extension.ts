/**
 * Patchbay's entry point in VS Code. Activation only wires things up: plugins load and
 * servers are probed in the background, off the activation path, so the chat view opens at
 * once however many plugins are installed.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChatBackend } from '../core/chatBackend';
import type { Conversation, ModelRef } from '../core/chat/conversation';
import { describeError } from '../core/errors';
import type { PluginRoot } from '../core/plugins/discovery';
import { parseLoadOnly } from '../core/plugins/pluginSelection';
import { Redactor } from '../core/util/redactor';
import { ChatController } from './chatController';
import { ChatViews } from './chatViews';
import { registerCommands } from './commands';
import { ConfigFiles, patchbayHome } from './configFiles';
import { EditorTracker } from './editorTracker';
import { createOutputLog } from './outputLog';
import { registerPluginCommands } from './pluginCommands';
import { PluginConsent } from './pluginConsent';
import { PluginsView } from './pluginsView';
import { PluginWatcher } from './pluginWatcher';
import { affectsPatchbay, readBackendSettings, readEndpointSettings } from './settings';

const CONVERSATION_KEY = 'patchbay.conversation';
const SELECTED_MODEL_KEY = 'patchbay.selectedModel';
const ALWAYS_ALLOWED_TOOLS_KEY = 'patchbay.alwaysAllowedTools';

let backend: ChatBackend | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const redactor = new Redactor();
  const { log, channel } = createOutputLog(redactor);
  const configFiles = new ConfigFiles(log);
  const editors = new EditorTracker();
  const consent = new PluginConsent(context.workspaceState);
  const globalPlugins = path.join(patchbayHome(), 'plugins');
  const chat = new ChatBackend({
    pluginRoots: () => pluginRoots(context.extensionPath, globalPlugins),
    pluginRules: () => {
      const plugins = configFiles.plugins();
      return {
        workspaceTrusted: vscode.workspace.isTrusted,
        loadOnly: parseLoadOnly(process.env['PATCHBAY_LOAD_PLUGINS']),
        enabled: plugins.enabled,
        disabled: plugins.disabled,
      };
    },
    pluginSettings: (id) => configFiles.plugins().settings[id],
    consent: (candidate) => consent.ask(candidate),
    declaredToolSpecs: () => configFiles.toolSpecCandidates(),
    toolCalling: () => configFiles.toolCalling(),
    alwaysAllowedTools: () => new Set(context.workspaceState.get<string[]>(ALWAYS_ALLOWED_TOOLS_KEY) ?? []),
    rememberAlwaysAllowedTool: (name) => {
      const names = new Set(context.workspaceState.get<string[]>(ALWAYS_ALLOWED_TOOLS_KEY) ?? []);
      names.add(name);
      void context.workspaceState.update(ALWAYS_ALLOWED_TOOLS_KEY, [...names]);
    },
    endpointLayers: () => [{ source: 'settings', providers: readEndpointSettings() }, ...configFiles.endpointLayers()],
    settings: readBackendSettings,
    secrets: {
      get: async (key) => context.secrets.get(key),
      store: async (key, value) => context.secrets.store(key, value),
      delete: async (key) => context.secrets.delete(key),
    },
    log,
    redactor,
    loadConversation: () => context.workspaceState.get<Conversation>(CONVERSATION_KEY),
    saveConversation: (conversation) => void context.workspaceState.update(CONVERSATION_KEY, structuredClone(conversation)),
    loadSelectedModel: () => context.globalState.get<ModelRef>(SELECTED_MODEL_KEY),
    saveSelectedModel: (model) => void context.globalState.update(SELECTED_MODEL_KEY, model),
    newId: randomUUID,
  });
  backend = chat;
  const controller = new ChatController(chat, context.extensionUri, editors, log);
  const views = new ChatViews(controller, context.extensionUri);
  const pluginsView = new PluginsView(chat);
  const report = (what: string) => (error: unknown) => log.error(`${what} failed: ${describeError(error)}`);
  const refreshModels = () => chat.refreshModels().catch(report('refreshing models'));
  const syncPlugins = (options: { changedLocations?: ReadonlySet<string>; reloadAll?: boolean } = {}) =>
    chat.syncPlugins(options).catch(report('reloading plugins'));
  context.subscriptions.push(
    channel,
    configFiles,
    editors,
    controller,
    views,
    pluginsView,
    new PluginWatcher(globalPlugins, (changedLocations) => void syncPlugins({ changedLocations })),
    ...registerCommands({ backend: chat, views, controller, editors, showLogs: () => channel.show(true) }),
    ...registerPluginCommands({ backend: chat, configFiles, consent, globalPluginsFolder: globalPlugins, extensionUri: context.extensionUri, syncPlugins }),
    chat.plugins.onDidChange(() => configFiles.showPluginProblems(chat.pluginRecords())),
    configFiles.onDidChange(() => void syncPlugins().then(refreshModels)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void syncPlugins().then(refreshModels)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsPatchbay(event)) void refreshModels();
    }),
  );
  void configFiles.reload().then(refreshModels, report('reading config files'));
  log.info(`activated (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
}

export async function deactivate(): Promise<void> {
  await backend?.dispose();
  backend = undefined;
}

/** Bundled, then global, then each workspace folder's: least specific first. */
function pluginRoots(extensionPath: string, globalPlugins: string): PluginRoot[] {
  const workspace = (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder): PluginRoot => ({ dir: path.join(folder.uri.fsPath, '.patchbay', 'plugins'), source: 'workspace' }));
  return [{ dir: path.join(extensionPath, 'plugins'), source: 'bundled' }, { dir: globalPlugins, source: 'global' }, ...workspace];
}
