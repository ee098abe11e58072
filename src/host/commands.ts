/** The commands in the palette. Each is a thin step from a VS Code gesture to the services. */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { originOf } from '../core/util/url';
import { secretReferences } from '../core/providers/endpointHeaders';
import { exportConversation, type ChatController } from './chatController';
import type { ContextTray } from './contextTray';
import type { ChatViews } from './chatViews';
import { globalConfigUri, workspaceConfigUri } from './configFiles';
import { pickModel, startAndRefresh } from './modelCommands';

export interface CommandDeps {
  services: ChatServices;
  views: ChatViews;
  controller: ChatController;
  context: ContextTray;
  showLogs(): void;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { services, views } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('patchbay.openChat', () => views.revealView()),
    register('patchbay.openChatInEditor', () => views.revealPanel()),
    register('patchbay.newChat', async () => {
      await views.revealView();
      await services.conversations.newChat();
    }),
    register('patchbay.focusInput', async () => {
      await views.revealView();
      deps.controller.broadcast({ type: 'focusInput' });
    }),
    register('patchbay.stop', () => services.conversations.stop()),
    register('patchbay.selectModel', () => selectModel(services)),
    register('patchbay.refreshModels', () => startAndRefresh(services)),
    register('patchbay.setApiKey', () => setApiKey(services)),
    register('patchbay.setHeaderSecret', () => setHeaderSecret(services)),
    register('patchbay.askAboutSelection', () => askAboutSelection(deps)),
    register('patchbay.explainSelection', () => explainSelection(deps)),
    register('patchbay.openConversation', () => openConversation(deps)),
    register('patchbay.renameConversation', () => renameConversation(deps)),
    register('patchbay.exportConversation', () => exportConversation(deps.services, deps.services.conversations.conversation.id)),
    register('patchbay.showLogs', () => deps.showLogs()),
    register('patchbay.openWorkspaceConfig', () => openConfig()),
  ];
}

async function selectModel(services: ChatServices): Promise<void> {
  const model = await pickModel(services, 'Patchbay: Select Model', {
    explain: true,
    onNone: async () => {
      const choice = await vscode.window.showWarningMessage(
        'Patchbay found no models. Start a local server (Ollama, LM Studio, vLLM, llama.cpp) or add an endpoint to .patchbay/config.yaml.',
        'Open Config',
        'Refresh',
      );
      if (choice === 'Open Config') await openConfig();
      if (choice === 'Refresh') await services.models.refresh();
    },
  });
  if (model) services.models.select(model);
}

async function setApiKey(services: ChatServices): Promise<void> {
  type Item = vscode.QuickPickItem & { baseUrl?: string };
  const endpoints: Item[] = services.models.catalog.declaredEndpoints().map((endpoint) => ({
    label: endpoint.label,
    description: originOf(endpoint.baseUrl),
    baseUrl: endpoint.baseUrl,
  }));
  const picked = await vscode.window.showQuickPick<Item>([...endpoints, { label: 'Another server…', description: 'enter its URL' }], {
    title: 'Patchbay: Set API Key',
    placeHolder: 'The key is saved in VS Code secret storage and sent only to this server',
  });
  if (!picked) return;
  const baseUrl = picked.baseUrl ?? (await vscode.window.showInputBox({
    title: 'Server URL',
    prompt: 'The key will be sent only to this scheme, host and port',
    placeHolder: 'http://127.0.0.1:8000/v1',
    validateInput: (value) => (/^https?:\/\/[^/]+/.test(value.trim()) ? undefined : 'Enter an http:// or https:// URL'),
  }))?.trim();
  if (!baseUrl) return;
  const key = await vscode.window.showInputBox({
    title: `API key for ${originOf(baseUrl)}`,
    prompt: 'Leave empty to remove the saved key',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  if (key.trim() === '') {
    await services.models.apiKeys.delete(baseUrl);
    void vscode.window.showInformationMessage(`Patchbay: removed the API key for ${originOf(baseUrl)}.`);
  } else {
    await services.models.apiKeys.set(baseUrl, key.trim());
    void vscode.window.showInformationMessage(`Patchbay: saved the API key for ${originOf(baseUrl)}.`);
  }
  await startAndRefresh(services);
}

/** A value for an endpoint's `${secret:name}` header, saved for that endpoint's origin. */
async function setHeaderSecret(services: ChatServices): Promise<void> {
  type Item = vscode.QuickPickItem & { baseUrl: string; name: string };
  const items: Item[] = services.models.catalog.declaredEndpoints().flatMap((endpoint) =>
    secretReferences(endpoint.headers ?? {}).map((name) => ({ label: name, description: `${endpoint.label} · ${originOf(endpoint.baseUrl)}`, baseUrl: endpoint.baseUrl, name })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Patchbay: no endpoint in config.yaml has a header with ${secret:name}.');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Patchbay: Set Endpoint Header Secret', placeHolder: 'Saved in VS Code secret storage, sent only to this server' });
  if (!picked) return;
  const value = await vscode.window.showInputBox({ title: `${picked.name} for ${originOf(picked.baseUrl)}`, prompt: 'Leave empty to remove it', password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  if (value.trim() === '') await services.models.headerSecrets.delete(picked.baseUrl, picked.name);
  else await services.models.headerSecrets.set(picked.baseUrl, picked.name, value.trim());
  await startAndRefresh(services);
}

/** The selection becomes a context chip; the user types the question in the chat. */
async function askAboutSelection(deps: CommandDeps): Promise<void> {
  if (!deps.context.addSelection()) return;
  await deps.views.revealView();
  deps.controller.broadcast({ type: 'focusInput' });
}

async function explainSelection(deps: CommandDeps): Promise<void> {
  if (!deps.context.addSelection()) return;
  await deps.views.revealView();
  if (deps.services.conversations.busy) {
    void vscode.window.showWarningMessage('Patchbay is still answering. Stop it first, or wait for it to finish; the selection is kept as context.');
    return;
  }
  await deps.controller.send('/explain');
}

async function openConversation(deps: CommandDeps): Promise<void> {
  const summaries = await deps.services.conversations.list();
  if (summaries.length === 0) {
    void vscode.window.showInformationMessage('Patchbay: no saved conversations yet.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    summaries.map((summary) => ({
      label: summary.title,
      description: `${new Date(summary.updatedAt).toLocaleString()} · ${summary.turnCount} messages`,
      detail: summary.preview,
      id: summary.id,
    })),
    { title: 'Patchbay: Open Conversation', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return;
  await deps.views.revealView();
  await deps.services.conversations.open(picked.id);
}

async function renameConversation(deps: CommandDeps): Promise<void> {
  const current = deps.services.conversations.conversation;
  const title = await vscode.window.showInputBox({ title: 'Rename Conversation', value: current.title, validateInput: (value) => (value.trim() ? undefined : 'Enter a title') });
  if (title?.trim()) await deps.services.conversations.rename(current.id, title);
}

const CONFIG_TEMPLATE = `# Patchbay configuration. Servers on their default ports (Ollama 11434, LM Studio 1234,
# vLLM 8000, llama.cpp 8080, text-generation-webui 5000) are found without any entry here.
providers: []
#  - id: lab-vllm
#    type: openai-compatible        # or: ollama
#    baseUrl: http://127.0.0.1:8000/v1
`;

async function openConfig(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const uri = folder ? workspaceConfigUri(folder) : globalConfigUri();
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(CONFIG_TEMPLATE));
  }
  await vscode.window.showTextDocument(uri);
}
