/**
 * The status-bar item: the model answers will come from, and whether its server answered
 * the last time Patchbay asked (listing models, or answering). Clicking picks a model.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { Disposable } from '../core/util/disposables';

export class ModelStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('patchbay.model', vscode.StatusBarAlignment.Right, 100));
  /** The last answer's failure to reach its server, until one succeeds again. */
  private unreachable: string | undefined;

  constructor(private readonly services: ChatServices) {
    super();
    this.item.name = 'Patchbay Model';
    this.item.command = 'patchbay.selectModel';
    this.register(services.models.onModelsChanged(() => this.update()));
    this.register(
      services.conversations.onEvent((event) => {
        if (event.type !== 'turnUpdated' || event.turn.role !== 'assistant' || event.turn.status === 'streaming') return;
        const problem = event.turn.problem;
        this.unreachable = problem && (problem.kind === 'connection' || problem.kind === 'stalled') ? problem.message : undefined;
        this.update();
      }),
    );
    this.update();
    this.item.show();
  }

  private update(): void {
    const snapshot = this.services.models.snapshot();
    const selected = snapshot.selected;
    const group = snapshot.groups.find((item) => item.providerId === selected?.providerId);
    if (!selected) {
      this.item.text = '$(comment-discussion) Patchbay: no model';
      this.item.tooltip = snapshot.loading ? 'Looking for models…' : 'No model selected. Click to pick one.';
      this.item.backgroundColor = undefined;
      return;
    }
    const label = group?.models.find((model) => model.id === selected.modelId)?.label ?? selected.modelId;
    const problem = this.unreachable ?? group?.problem?.message;
    this.item.text = `${problem ? '$(warning)' : '$(comment-discussion)'} ${label}`;
    this.item.tooltip = problem
      ? `Patchbay: ${label} on ${group?.label ?? selected.providerId}: the server does not answer.\n${problem}\nClick to pick another model.`
      : `Patchbay: ${label} on ${group?.label ?? selected.providerId}. Click to pick another model.`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}
