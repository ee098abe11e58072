/**
 * Commands about models: retry an answer with another model, and managing the models of
 * servers that can (Ollama): pull with progress, delete, show details.
 */
import * as vscode from 'vscode';
import type { ModelManagement } from '../core/api';
import type { ChatServices } from '../core/chatServices';
import type { ModelRef } from '../core/chat/conversation';
import type { ModelsSnapshot } from '../core/providers/modelService';

export function registerModelCommands(services: ChatServices): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('patchbay.retryWithModel', async () => {
      const model = await pickModel(services, 'Retry with which model?');
      if (model) await services.conversations.retry(model);
    }),
    vscode.commands.registerCommand('patchbay.pullModel', () => pullModel(services)),
    vscode.commands.registerCommand('patchbay.deleteModel', () => deleteModel(services)),
    vscode.commands.registerCommand('patchbay.showModelDetails', () => showModelDetails(services)),
  ];
}

export interface PickOptions {
  /** Only these providers' models. */
  filter?: (providerId: string) => boolean;
  /** Show why a provider has no models, and mark the selected model. */
  explain?: boolean;
  /** Said when there is nothing to pick; the default is a short notice. */
  onNone?: () => Promise<void>;
}

/** A quick pick of every model, grouped by provider. */
export async function pickModel(services: ChatServices, title: string, options: PickOptions = {}): Promise<ModelRef | undefined> {
  const snapshot = services.models.directory.current.length > 0 ? services.models.snapshot() : await startAndRefresh(services);
  type Item = vscode.QuickPickItem & { model?: ModelRef };
  const items: Item[] = [];
  for (const group of snapshot.groups.filter((item) => options.filter?.(item.providerId) ?? true)) {
    if (group.models.length === 0 && !(options.explain && group.problem)) continue;
    // A workspace's endpoint says so, and names the host it sends prompts to.
    const label = group.source === 'workspace-config' && group.host !== undefined ? `${group.label} (workspace · ${group.host})` : group.label;
    items.push({ label, kind: vscode.QuickPickItemKind.Separator });
    if (options.explain && group.problem) items.push({ label: `$(warning) ${group.problem.message}`, ...(group.problem.hint ? { detail: group.problem.hint } : {}) });
    for (const model of group.models) {
      const selected = options.explain && snapshot.selected?.providerId === group.providerId && snapshot.selected.modelId === model.id;
      items.push({
        label: `${selected ? '$(check) ' : ''}${model.label ?? model.id}`,
        ...(model.details ? { description: model.details } : {}),
        model: { providerId: group.providerId, modelId: model.id },
      });
    }
  }
  if (!items.some((item) => item.model)) {
    if (options.onNone) await options.onNone();
    else void vscode.window.showInformationMessage('Patchbay: no models to choose from.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Model', matchOnDescription: true }))?.model;
}

/** Providers whose servers can manage models, to pick from when there are several. */
async function pickManagedProvider(services: ChatServices): Promise<{ id: string; label: string; manage: ModelManagement } | undefined> {
  await services.start();
  const managed = services.models.catalog.entries().flatMap((entry) => (entry.instance?.modelManagement ? [{ id: entry.id, label: entry.label, manage: entry.instance.modelManagement }] : []));
  if (managed.length === 0) {
    void vscode.window.showInformationMessage('Patchbay: no server that manages its own models (like Ollama) is available. Start Ollama, or add it to config.yaml, then try again.');
    return undefined;
  }
  if (managed.length === 1) return managed[0];
  const picked = await vscode.window.showQuickPick(managed.map((item) => ({ label: item.label, item })), { title: 'Which server?' });
  return picked?.item;
}

async function pullModel(services: ChatServices): Promise<void> {
  const provider = await pickManagedProvider(services);
  if (!provider) return;
  const name = (await vscode.window.showInputBox({
    title: `Pull a model to ${provider.label}`,
    prompt: 'The model name, as in `ollama pull` (e.g. qwen3:8b, llama3.2)',
    validateInput: (value) => (/^[\w.\-/]+(:[\w.-]+)?$/.test(value.trim()) ? undefined : 'Letters, digits, ".", "-", "_", "/" and an optional ":tag"'),
  }))?.trim();
  if (!name) return;
  try {
    const finished = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pulling ${name}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
        let reported = 0;
        await provider.manage.pull(name, (step) => {
          const percent = step.total ? Math.floor(((step.completed ?? 0) / step.total) * 100) : undefined;
          const increment = percent !== undefined ? Math.max(0, percent - reported) : undefined;
          if (percent !== undefined) reported = Math.max(reported, percent);
          progress.report({ message: percent !== undefined ? `${step.status} (${percent}%)` : step.status, ...(increment ? { increment } : {}) });
        }, controller.signal);
        return !token.isCancellationRequested;
      },
    );
    if (finished) {
      void vscode.window.showInformationMessage(`Patchbay: pulled ${name}.`);
      await services.models.refresh();
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Patchbay: pulling ${name} failed: ${services.describeForUser(error)}`);
  }
}

async function deleteModel(services: ChatServices): Promise<void> {
  const provider = await pickManagedProvider(services);
  if (!provider) return;
  const model = await pickModel(services, `Delete which model from ${provider.label}?`, { filter: (providerId) => providerId === provider.id });
  if (!model) return;
  const confirm = await vscode.window.showWarningMessage(`Delete ${model.modelId} from ${provider.label}? Its files are removed from the server.`, { modal: true }, 'Delete');
  if (confirm !== 'Delete') return;
  try {
    await provider.manage.delete(model.modelId, AbortSignal.timeout(30_000));
    void vscode.window.showInformationMessage(`Patchbay: deleted ${model.modelId}.`);
    await services.models.refresh();
  } catch (error) {
    void vscode.window.showErrorMessage(`Patchbay: deleting ${model.modelId} failed: ${services.describeForUser(error)}`);
  }
}

async function showModelDetails(services: ChatServices): Promise<void> {
  const provider = await pickManagedProvider(services);
  if (!provider) return;
  const model = await pickModel(services, `Details of which model on ${provider.label}?`, { filter: (providerId) => providerId === provider.id });
  if (!model) return;
  try {
    const details = await provider.manage.details(model.modelId, AbortSignal.timeout(15_000));
    const items = Object.entries(details).map(([label, value]) => ({ label: value, description: label }));
    await vscode.window.showQuickPick(items, { title: `${model.modelId} on ${provider.label}`, placeHolder: 'Details' });
  } catch (error) {
    void vscode.window.showErrorMessage(`Patchbay: reading the details of ${model.modelId} failed: ${services.describeForUser(error)}`);
  }
}

/** Lists the models again, first starting the chat's services if nothing has yet (the first command to need models does). */
export async function startAndRefresh(services: ChatServices): Promise<ModelsSnapshot> {
  await services.start();
  return services.models.refresh();
}
