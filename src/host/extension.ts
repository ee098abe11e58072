/**
 * Patchbay's entry point in VS Code. Activation only wires things up: plugins load and
 * servers are probed in the background, off the activation path, so the chat view opens at
 * once however many plugins are installed.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditProposalReceipt } from '../core/api';
import { ChatServices } from '../core/chatServices';
import type { Conversation, ModelRef } from '../core/chat/conversation';
import { describeError } from '../core/errors';
import type { PluginRoot } from '../core/plugins/discovery';
import { parseLoadOnly } from '../core/plugins/pluginSelection';
import { DisposableStore } from '../core/util/disposables';
import { realClock } from '../core/ports';
import { StartupGate } from '../core/util/startupGate';
import { Redactor } from '../core/util/redactor';
import { ConversationStore } from '../core/history/conversationStore';
import { ChatController } from './chatController';
import { ContextTray } from './contextTray';
import { registerLanguageModels } from './languageModelProvider';
import { registerToolServer } from './toolServerProvider';
import { registerModelCommands, startAndRefresh } from './modelCommands';
import { ModelStatusBar } from './modelStatusBar';
import { trackWalkthroughProgress } from './walkthroughProgress';
import { ChatViews } from './chatViews';
import { registerCommands } from './commands';
import { ConfigFiles, patchbayHome } from './configFiles';
import { EditorTracker } from './editorTracker';
import { createOutputLog } from './outputLog';
import { registerMcpCommands } from './mcpCommands';
import { createMcpOutput } from './mcpOutput';
import { mcpStartConsent } from './mcpStartConsent';
import { registerPluginCommands } from './pluginCommands';
import { registerPluginDependencies } from './pluginDependencies';
import { registerAddToolPlugin } from './addToolPlugin';
import { PluginConsent, ReplacementConsent } from './pluginConsent';
import { workspaceLooseningConsent } from './approvalConsent';
import { askContextApproval } from './contextApproval';
import { workspaceFoldersGitDiff } from './gitDiffPort';
import { EditProposalsInEditor } from './editProposals';
import { workspaceReadServices } from './workspacePorts';
import { webServices } from '../core/context/pageFetch';
import { workspacePluginSettingsConsent } from './pluginSettingsConsent';
import { PluginsView } from './pluginsView';
import { PluginWatcher } from './pluginWatcher';
import { affectsPatchbay, readBackendSettings, readEndpointSettings } from './settings';

/** Where the chat of an earlier version kept its one conversation (moved into the history). */
const LEGACY_CONVERSATION_KEY = 'patchbay.conversation';
const CURRENT_CONVERSATION_KEY = 'patchbay.currentConversation';
const SELECTED_MODEL_KEY = 'patchbay.selectedModel';
/** `context.services.web` for plugins: the guarded fetch, the same for every plugin. */
const pageFetching = webServices();
const workspaceReads = workspaceReadServices(() => running);
const ALWAYS_ALLOWED_TOOLS_KEY = 'patchbay.alwaysAllowedTools';

/**
 * What VS Code asks on its own at activation (language models, MCP servers) starts Patchbay's
 * work only after the chat's first paint, or this long after activation when no chat opens.
 */
const STARTUP_GRACE_MS = 1_000;
/** ...or this long after activation when a chat view opens but never paints. */
const STARTUP_MAX_WAIT_MS = 5_000;

let running: ChatServices | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const redactor = new Redactor();
  const output = createOutputLog(redactor);
  const mcpOutput = createMcpOutput(output.log, redactor);
  const log = mcpOutput.log;
  const configFiles = new ConfigFiles(log);
  const editors = new EditorTracker();
  const consent = new PluginConsent(context.workspaceState);
  const replacements = new ReplacementConsent(context.workspaceState);
  const globalPlugins = path.join(patchbayHome(), 'plugins');
  const history = new ConversationStore(path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'history'), log, (conversation) => redactor.redactStrings(conversation));
  const contextTray = new ContextTray(editors);
  const startup = new StartupGate({ clock: realClock, graceMs: STARTUP_GRACE_MS, maxWaitMs: STARTUP_MAX_WAIT_MS });
  const services = new ChatServices({
    prepare: async () => {
      // Whoever starts the services first (the chat's first paint, a command) opens the gate.
      startup.release();
      log.info(`starting (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
      // The chat starts even when the config cannot be read: the error is logged, the defaults hold.
      await configFiles.reload().catch(report('reading config files'));
      startWatching();
    },
    pluginRoots: () => pluginRoots(context.extensionPath, globalPlugins),
    pluginRules: () => {
      const plugins = configFiles.plugins();
      return {
        workspaceTrusted: vscode.workspace.isTrusted,
        loadOnly: parseLoadOnly(process.env['PATCHBAY_LOAD_PLUGINS']),
        enabled: plugins.enabled,
        disabled: plugins.disabled,
        replacement: (workspacePlugin, usersPlugin) => replacements.decision(workspacePlugin, usersPlugin),
      };
    },
    pluginSettings: (id) => configFiles.plugins().userSettings[id],
    workspacePluginSettings: (id) => configFiles.plugins().workspaceSettings[id],
    pluginSettingsConsent: workspacePluginSettingsConsent(context.workspaceState),
    consent: (candidate) => consent.ask(candidate),
    askToReplacePlugin: (workspacePlugin, usersPlugin) => replacements.ask(workspacePlugin, usersPlugin),
    declaredToolSpecs: () => configFiles.toolSpecCandidates(),
    toolCalling: () => configFiles.toolCalling(),
    alwaysAllowedTools: () => new Set(context.workspaceState.get<string[]>(ALWAYS_ALLOWED_TOOLS_KEY) ?? []),
    rememberAlwaysAllowedTool: (key) => {
      const names = new Set(context.workspaceState.get<string[]>(ALWAYS_ALLOWED_TOOLS_KEY) ?? []);
      names.add(key);
      void context.workspaceState.update(ALWAYS_ALLOWED_TOOLS_KEY, [...names]);
    },
    workspaceLoosening: workspaceLooseningConsent(context.workspaceState),
    services: (pluginId) => ({ workspace: { gitDiff: workspaceFoldersGitDiff, proposeEdit: (change): Promise<EditProposalReceipt> => editProposals.proposeFor(pluginId)(change), ...workspaceReads }, web: pageFetching }),
    workspaceTrusted: () => vscode.workspace.isTrusted,
    askContextApproval,
    endpointLayers: () => [{ source: 'settings', providers: readEndpointSettings() }, ...configFiles.endpointLayers()],
    onEndpointsRefused: (refused) => configFiles.showEndpointProblems(refused),
    settings: readBackendSettings,
    secrets: {
      get: async (key) => context.secrets.get(key),
      store: async (key, value) => context.secrets.store(key, value),
      delete: async (key) => context.secrets.delete(key),
    },
    log,
    redactor,
    loadConversation: () => restoreConversation(context.workspaceState, history),
    saveConversation: (conversation) => {
      void history.save(structuredClone(conversation));
      void context.workspaceState.update(CURRENT_CONVERSATION_KEY, conversation.id);
    },
    history,
    promptFolders: () => promptFolders(),
    modelOverrides: () => configFiles.modelOverrides(),
    modelLayers: () => configFiles.modelLayers(),
    onModelProblems: (problems) => configFiles.showModelProblems(problems),
    loadSelectedModel: () => context.globalState.get<ModelRef>(SELECTED_MODEL_KEY),
    saveSelectedModel: (model) => void context.globalState.update(SELECTED_MODEL_KEY, model),
    newId: randomUUID,
    mcp: {
      definitions: () => configFiles.mcpDefinitions(),
      consent: mcpStartConsent(context.workspaceState),
      isWorkspaceTrusted: () => vscode.workspace.isTrusted,
      workspaceFolder: () => vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath,
    },
  });
  running = services;
  const editProposals: EditProposalsInEditor = new EditProposalsInEditor(services, log);
  const controller = new ChatController(services, context.extensionUri, editors, contextTray, log);
  const views = new ChatViews(controller, context.extensionUri, () => startup.viewOpening());
  const pluginsView = new PluginsView(services);
  const report = (what: string) => (error: unknown) => log.error(`${what} failed: ${describeError(error)}`);
  const refreshModels = () => startAndRefresh(services).catch(report('refreshing models'));
  const syncPlugins = (options: { changedLocations?: ReadonlySet<string>; reloadAll?: boolean } = {}) =>
    services.plugins.sync(options).catch(report('reloading plugins'));
  // File watchers start with the chat (see `prepare`), not at activation: each is a round
  // trip to VS Code and a recursive watch of the workspace.
  const watchers = new DisposableStore();
  const startWatching = () => {
    configFiles.startWatching();
    watchers.add(new PluginWatcher(globalPlugins, (changedLocations) => void syncPlugins({ changedLocations })));
    watchers.add(watchPromptFolders(() => void services.prompts.reload()));
  };
  const syncMcpServers = () => services.mcp.start().catch(report('starting MCP servers'));
  context.subscriptions.push(
    startup,
    output,
    mcpOutput,
    watchers,
    configFiles,
    editors,
    controller,
    editProposals,
    views,
    pluginsView,
    contextTray,
    new ModelStatusBar(services),
    trackWalkthroughProgress(services),
    ...registerCommands({ services, views, controller, context: contextTray, showLogs: () => output.show() }),
    ...registerModelCommands(services),
    registerLanguageModels({ services, redactor, log, contextLengthOf: (id) => configFiles.modelOverrides()[id]?.contextLength, afterStartup: () => startup.whenOpen() }),
    registerToolServer({ services, toolCalling: () => configFiles.toolCalling(), version: String((context.extension.packageJSON as { version?: string }).version ?? '0'), afterStartup: () => startup.whenOpen() }),
    ...registerPluginCommands({ services, configFiles, consent, globalPluginsFolder: globalPlugins, extensionUri: context.extensionUri, syncPlugins, carryOutResult: (result, plugin) => controller.carryOutResult(result, plugin, `${plugin}: `) }),
    ...registerPluginDependencies({ services, log, syncPlugins }),
    registerAddToolPlugin({ services, globalPluginsFolder: globalPlugins, syncPlugins }),
    ...registerMcpCommands({ services, definitions: () => configFiles.mcpDefinitions(), secrets: context.secrets, showOutput: () => mcpOutput.show(), describe: (error) => services.describeForUser(error) }),
    services.plugins.onDidChange(() => configFiles.showPluginProblems(services.plugins.records())),
    configFiles.onDidChange(() => void Promise.all([syncPlugins(), services.prompts.reload()]).then(() => {
      void syncMcpServers();
      return refreshModels();
    })),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void syncPlugins().then(refreshModels)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsPatchbay(event)) void refreshModels();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await running?.dispose();
  running = undefined;
}

/** The conversation open last time; an earlier version's single saved chat moves into the history. */
async function restoreConversation(state: vscode.Memento, history: ConversationStore): Promise<Conversation | undefined> {
  const legacy = state.get<Conversation>(LEGACY_CONVERSATION_KEY);
  if (legacy) {
    await history.save(legacy);
    await state.update(CURRENT_CONVERSATION_KEY, legacy.id);
    await state.update(LEGACY_CONVERSATION_KEY, undefined);
  }
  const id = state.get<string>(CURRENT_CONVERSATION_KEY);
  return id ? history.load(id) : undefined;
}

/** Prompt template folders, most specific first; a workspace's only when it is trusted. */
function promptFolders(): { dir: string; source: 'workspace' | 'global' }[] {
  const workspace = vscode.workspace.isTrusted
    ? (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ dir: path.join(folder.uri.fsPath, '.patchbay', 'prompts'), source: 'workspace' as const }))
    : [];
  return [...workspace, { dir: path.join(patchbayHome(), 'prompts'), source: 'global' }];
}

function watchPromptFolders(onChange: () => void): DisposableStore {
  const watchers = [
    vscode.workspace.createFileSystemWatcher('**/.patchbay/prompts/*.md'),
    vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.join(patchbayHome(), 'prompts')), '*.md')),
  ];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, 200);
  };
  const subscriptions = new DisposableStore();
  for (const watcher of watchers) {
    for (const disposable of [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)]) subscriptions.add(disposable);
  }
  subscriptions.add({ dispose: () => clearTimeout(timer) });
  return subscriptions;
}

/** Bundled, then global, then each workspace folder's: least specific first. */
function pluginRoots(extensionPath: string, globalPlugins: string): PluginRoot[] {
  const workspace = (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder): PluginRoot => ({ dir: path.join(folder.uri.fsPath, '.patchbay', 'plugins'), source: 'workspace' }));
  return [{ dir: path.join(extensionPath, 'plugins'), source: 'bundled' }, { dir: globalPlugins, source: 'global' }, ...workspace];
}
