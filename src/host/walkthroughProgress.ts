/**
 * The walkthrough's steps that a state completes rather than a command the user runs: Patchbay
 * lists a model (it found a server), and a listed model is chosen. VS Code reads these context
 * keys. The first is off while models are being listed, so each listing that finds one turns it
 * on again.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import type { ModelsSnapshot } from '../core/providers/modelService';

export function trackWalkthroughProgress(services: ChatServices): vscode.Disposable {
  const update = (snapshot: ModelsSnapshot) => {
    const listed = (providerId: string, modelId: string) => snapshot.groups.some((group) => group.providerId === providerId && group.models.some((model) => model.id === modelId));
    const hasModels = !snapshot.loading && snapshot.groups.some((group) => group.models.length > 0);
    void vscode.commands.executeCommand('setContext', 'patchbay.hasModels', hasModels);
    void vscode.commands.executeCommand('setContext', 'patchbay.hasSelectedModel', hasModels && snapshot.selected !== undefined && listed(snapshot.selected.providerId, snapshot.selected.modelId));
  };
  update(services.models.snapshot());
  return services.models.onModelsChanged(update);
}
