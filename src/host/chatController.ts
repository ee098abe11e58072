/**
 * Connects the chat backend to every open chat webview (the sidebar view and editor tabs
 * show the same conversation): relays the backend's events as protocol messages and
 * carries out what the webviews ask for.
 */
import * as vscode from 'vscode';
import type { ChatBackend, ModelsSnapshot } from '../core/chatBackend';
import type { SessionEvent } from '../core/chat/chatSession';
import { describeError, type RecoveryActionId } from '../core/errors';
import type { Logger } from '../core/ports';
import type { PluginUi } from '../core/chatBackend';
import { parseWebviewMessage, type ExtensionsState, type HostToWebview, type ModelsState, type WebviewToHost } from '../protocol/messages';
import { runCodeAction } from './codeActions';
import type { EditorTracker } from './editorTracker';
import { WebviewChannel } from './webviewChannel';
import { chatHtml, webviewOptions } from './webviewHtml';

export class ChatController implements vscode.Disposable {
  private readonly channels = new Set<WebviewChannel>();
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly backend: ChatBackend,
    private readonly extensionUri: vscode.Uri,
    private readonly editors: EditorTracker,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      backend.session.onEvent((event) => this.broadcast(toMessage(event))),
      backend.onModelsChanged((snapshot) => this.broadcast({ type: 'models', models: toModelsState(snapshot) })),
      backend.onPluginUiChanged((ui) => this.broadcast({ type: 'extensions', extensions: toExtensionsState(ui) })),
    );
  }

  /** Shows the chat in a webview and keeps it in step until the webview goes away. */
  attach(webview: vscode.Webview): vscode.Disposable {
    webview.options = webviewOptions(this.extensionUri);
    const channel = new WebviewChannel(webview);
    this.channels.add(channel);
    const listener = webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = parseWebviewMessage(raw);
      if ('rejected' in parsed) {
        this.log.warn(`ignored a message from the chat view: ${parsed.rejected}`);
        return;
      }
      this.handle(parsed.message, channel).catch((error: unknown) => this.log.error(`chat view request failed: ${describeError(error)}`));
    });
    webview.html = chatHtml(webview, this.extensionUri);
    return new vscode.Disposable(() => {
      listener.dispose();
      channel.dispose();
      this.channels.delete(channel);
    });
  }

  broadcast(message: HostToWebview): void {
    for (const channel of this.channels) channel.post(message);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const channel of this.channels) channel.dispose();
    this.channels.clear();
  }

  private async handle(message: WebviewToHost, channel: WebviewChannel): Promise<void> {
    const session = this.backend.session;
    switch (message.type) {
      case 'ready':
        channel.markReady({
          type: 'init',
          conversation: session.conversation,
          models: toModelsState(this.backend.snapshot()),
          busy: session.busy,
          extensions: toExtensionsState(this.backend.pluginUi()),
        });
        return;
      case 'send':
        return this.backend.send(message.text);
      case 'stop':
        return session.stop();
      case 'retry':
        return session.retry();
      case 'newChat':
        return session.newChat();
      case 'selectModel':
        return this.backend.selectModel({ providerId: message.providerId, modelId: message.modelId });
      case 'refreshModels':
        await this.backend.refreshModels();
        return;
      case 'codeAction':
        return runCodeAction(message.action, message.code, message.language, this.editors);
      case 'recover':
        return this.recover(message.action);
      case 'runAction':
        return this.runAction(message.actionKey, message.turnId);
      case 'approveToolCall':
        return this.backend.decideToolCall(message.callId, message.decision);
    }
  }

  private async runAction(actionKey: string, turnId: string): Promise<void> {
    const label = this.backend.pluginUi().actions.find((action) => action.key === actionKey)?.label ?? 'Plugin action';
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${label}…`, cancellable: true },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
          return this.backend.runAction(actionKey, turnId, controller.signal);
        },
      );
      if (result?.notify) void vscode.window.showInformationMessage(result.notify);
    } catch (error) {
      void vscode.window.showErrorMessage(describeError(error), 'Show Logs').then((choice) => {
        if (choice) void vscode.commands.executeCommand('patchbay.showLogs');
      });
    }
  }

  private async recover(action: RecoveryActionId): Promise<void> {
    const commands: Record<Exclude<RecoveryActionId, 'retry'>, [string, ...unknown[]]> = {
      setApiKey: ['patchbay.setApiKey'],
      selectModel: ['patchbay.selectModel'],
      refreshModels: ['patchbay.refreshModels'],
      openConfig: ['patchbay.openWorkspaceConfig'],
      openSettings: ['workbench.action.openSettings', 'patchbay'],
      showLogs: ['patchbay.showLogs'],
    };
    if (action === 'retry') return this.backend.session.retry();
    const [command, ...args] = commands[action];
    await vscode.commands.executeCommand(command, ...args);
  }
}

function toMessage(event: SessionEvent): HostToWebview {
  return event.type === 'reset' ? { type: 'conversationReset', conversation: event.conversation } : event;
}

export function toModelsState(snapshot: ModelsSnapshot): ModelsState {
  return {
    loading: snapshot.loading,
    ...(snapshot.selected ? { selected: snapshot.selected } : {}),
    groups: snapshot.groups.map((group) => ({
      providerId: group.providerId,
      label: group.label,
      models: group.models.map((model) => ({
        id: model.id,
        label: model.label ?? model.id,
        ...(model.details ? { detail: model.details } : {}),
      })),
      ...(group.problem ? { problem: group.problem } : {}),
    })),
  };
}

function toExtensionsState(ui: PluginUi): ExtensionsState {
  return { actions: ui.actions, slashCommands: ui.slashCommands };
}
