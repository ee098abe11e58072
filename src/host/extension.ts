/**
 * Patchbay's entry point in VS Code. Activation only wires things up; plugins load and
 * servers are probed in the background, so the chat view opens at once.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ChatBackend } from '../core/chatBackend';
import type { Conversation, ModelRef } from '../core/chat/conversation';
import { describeError } from '../core/errors';
import { Redactor } from '../core/util/redactor';
import { ChatController } from './chatController';
import { ChatViews } from './chatViews';
import { registerCommands } from './commands';
import { ConfigFiles } from './configFiles';
import { EditorTracker } from './editorTracker';
import { createOutputLog } from './outputLog';
import { affectsPatchbay, readBackendSettings, readEndpointSettings } from './settings';

const CONVERSATION_KEY = 'patchbay.conversation';
const SELECTED_MODEL_KEY = 'patchbay.selectedModel';

let backend: ChatBackend | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const redactor = new Redactor();
  const { log, channel } = createOutputLog(redactor);
  const configFiles = new ConfigFiles(log);
  const editors = new EditorTracker();
  const chat = new ChatBackend({
    pluginRoots: () => [{ dir: path.join(context.extensionPath, 'plugins'), source: 'bundled' }],
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
  const refresh = () => chat.refreshModels().catch((error: unknown) => log.error(`refreshing models failed: ${describeError(error)}`));
  context.subscriptions.push(
    channel,
    configFiles,
    editors,
    controller,
    views,
    ...registerCommands({ backend: chat, views, controller, editors, showLogs: () => channel.show(true) }),
    configFiles.onDidChange(() => void refresh()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsPatchbay(event)) void refresh();
    }),
  );
  void configFiles.reload().then(refresh, (error: unknown) => log.error(`reading config files failed: ${describeError(error)}`));
  log.info(`activated (VS Code ${vscode.version}, workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted'})`);
}

export async function deactivate(): Promise<void> {
  await backend?.dispose();
  backend = undefined;
}
