/** The commands in the palette. Each is a thin step from a VS Code gesture to the backend. */
import * as vscode from 'vscode';
import type { ChatBackend } from '../core/chatBackend';
import type { ContextAttachment } from '../core/chat/conversation';
import { originOf } from '../core/util/url';
import type { ChatController } from './chatController';
import type { ChatViews } from './chatViews';
import { globalConfigUri, workspaceConfigUri } from './configFiles';
import type { EditorTracker } from './editorTracker';
import { selectionAttachment } from './selectionContext';

export interface CommandDeps {
  backend: ChatBackend;
  views: ChatViews;
  controller: ChatController;
  editors: EditorTracker;
  showLogs(): void;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { backend, views } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('patchbay.openChat', () => views.revealView()),
    register('patchbay.openChatInEditor', () => views.revealPanel()),
    register('patchbay.newChat', async () => {
      await views.revealView();
      await backend.session.newChat();
    }),
    register('patchbay.focusInput', async () => {
      await views.revealView();
      deps.controller.broadcast({ type: 'focusInput' });
    }),
    register('patchbay.stop', () => backend.session.stop()),
    register('patchbay.selectModel', () => selectModel(backend)),
    register('patchbay.refreshModels', () => backend.refreshModels()),
    register('patchbay.setApiKey', () => setApiKey(backend)),
    register('patchbay.askAboutSelection', () => askAboutSelection(deps)),
    register('patchbay.explainSelection', () => sendWithSelection(deps, 'Explain what this code does, step by step.')),
    register('patchbay.showLogs', () => deps.showLogs()),
    register('patchbay.openWorkspaceConfig', () => openConfig()),
  ];
}

async function selectModel(backend: ChatBackend): Promise<void> {
  const snapshot = backend.models.current.length > 0 ? backend.snapshot() : await backend.refreshModels();
  type Item = vscode.QuickPickItem & { providerId?: string; modelId?: string };
  const items: Item[] = [];
  for (const group of snapshot.groups) {
    items.push({ label: group.label, kind: vscode.QuickPickItemKind.Separator });
    if (group.problem) items.push({ label: `$(warning) ${group.problem.message}`, detail: group.problem.hint });
    for (const model of group.models) {
      const selected = snapshot.selected?.providerId === group.providerId && snapshot.selected.modelId === model.id;
      items.push({
        label: `${selected ? '$(check) ' : ''}${model.label ?? model.id}`,
        ...(model.details ? { description: model.details } : {}),
        providerId: group.providerId,
        modelId: model.id,
      });
    }
  }
  if (!items.some((item) => item.modelId)) {
    const choice = await vscode.window.showWarningMessage(
      'Patchbay found no models. Start a local server (Ollama, LM Studio, vLLM, llama.cpp) or add an endpoint to .patchbay/config.yaml.',
      'Open Config',
      'Refresh',
    );
    if (choice === 'Open Config') await openConfig();
    if (choice === 'Refresh') await backend.refreshModels();
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Patchbay: Select Model', placeHolder: 'Model', matchOnDescription: true });
  if (picked?.providerId && picked.modelId) backend.selectModel({ providerId: picked.providerId, modelId: picked.modelId });
}

async function setApiKey(backend: ChatBackend): Promise<void> {
  type Item = vscode.QuickPickItem & { baseUrl?: string };
  const endpoints: Item[] = backend.catalog.declaredEndpoints().map((endpoint) => ({
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
    await backend.apiKeys.delete(baseUrl);
    void vscode.window.showInformationMessage(`Patchbay: removed the API key for ${originOf(baseUrl)}.`);
  } else {
    await backend.apiKeys.set(baseUrl, key.trim());
    void vscode.window.showInformationMessage(`Patchbay: saved the API key for ${originOf(baseUrl)}.`);
  }
  await backend.refreshModels();
}

async function askAboutSelection(deps: CommandDeps): Promise<void> {
  const attachment = requireSelection(deps.editors);
  if (!attachment) return;
  const question = await vscode.window.showInputBox({
    title: `Ask about ${attachment.label}`,
    prompt: 'Your question about the selected code',
    ignoreFocusOut: true,
  });
  if (!question?.trim()) return;
  await sendAttached(deps, question, attachment);
}

async function sendWithSelection(deps: CommandDeps, question: string): Promise<void> {
  const attachment = requireSelection(deps.editors);
  if (attachment) await sendAttached(deps, question, attachment);
}

async function sendAttached(deps: CommandDeps, question: string, attachment: ContextAttachment): Promise<void> {
  await deps.views.revealView();
  if (deps.backend.session.busy) {
    void vscode.window.showWarningMessage('Patchbay is still answering. Stop it first, or wait for it to finish.');
    return;
  }
  await deps.backend.send(question, [attachment]);
}

function requireSelection(editors: EditorTracker): ContextAttachment | undefined {
  const attachment = selectionAttachment(editors);
  if (!attachment) void vscode.window.showInformationMessage('Patchbay: select some code in an editor first.');
  return attachment;
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
