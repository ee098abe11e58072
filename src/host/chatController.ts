/**
 * Connects the chat services to every open chat webview (the sidebar view and editor tabs
 * show the same conversation): relays the services's events as protocol messages and
 * carries out what the webviews ask for.
 */
import * as vscode from 'vscode';
import { isResourceMention } from '../core/mcp/mcpResourceContext';
import { contextMentionPath } from '../protocol/contextMention';
import type { ChatServices } from '../core/chatServices';
import type { ModelsSnapshot } from '../core/providers/modelService';
import type { SessionEvent } from '../core/chat/chatSession';
import { describeError, PatchbayError, type RecoveryActionId } from '../core/errors';
import type { Logger } from '../core/ports';
import { DisposableStore } from '../core/util/disposables';
import type { PluginUi as CorePluginUi } from '../core/plugins/pluginService';
import { assertNever } from '../protocol/assertNever';
import { parseWebviewMessage, type ContextKind, type HostToWebview, type ModelsState, type PluginUi, type Turn, type WebviewToHost } from '../protocol/messages';
import { imageTooLarge, MAX_IMAGE_BYTES } from '../core/chat/chatImages';
import type { ActionResult } from '../core/api';
import { carryOutActionResult } from './actionResults';
import { runCodeAction } from './codeActions';
import type { ContextTray } from './contextTray';
import { latestPage, pageBefore } from './conversationPaging';
import type { EditorTracker } from './editorTracker';
import { WebviewChannel } from './webviewChannel';
import { chatHtml, webviewOptions } from './webviewHtml';

export class ChatController implements vscode.Disposable {
  private readonly channels = new Set<WebviewChannel>();
  /** Per webview, the oldest turn it shows of the open conversation. */
  private readonly oldestShown = new Map<WebviewChannel, string | undefined>();
  private readonly subscriptions = new DisposableStore();
  private modelsRequested = false;

  constructor(
    private readonly services: ChatServices,
    private readonly extensionUri: vscode.Uri,
    private readonly editors: EditorTracker,
    private readonly context: ContextTray,
    private readonly log: Logger,
  ) {
    this.subscriptions.add(services.conversations.onEvent((event) => this.relay(event)));
    this.subscriptions.add(services.models.onModelsChanged((snapshot) => this.broadcast({ type: 'models', models: toModelsState(snapshot) })));
    this.subscriptions.add(services.plugins.onPluginUiChanged((ui) => this.broadcast({ type: 'pluginUi', pluginUi: toChatPluginUi(ui) })));
    this.subscriptions.add(context.onDidChange((chips) => this.broadcast({ type: 'context', chips })));
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
        if (parsed.tooLong) void vscode.window.showWarningMessage(`Patchbay: ${parsed.tooLong}`);
        return;
      }
      this.handle(parsed.message, channel).catch((error: unknown) => {
        this.log.error(`chat view request failed: ${describeError(error)}`);
        // A request the chat refuses (deleting while an answer streams...) is the user's to know.
        if (error instanceof PatchbayError) void vscode.window.showWarningMessage(`Patchbay: ${this.services.describeForUser(error)}`);
      });
    });
    webview.html = chatHtml(webview, this.extensionUri);
    return new vscode.Disposable(() => {
      listener.dispose();
      channel.dispose();
      this.channels.delete(channel);
      this.oldestShown.delete(channel);
    });
  }

  /** Sends the question with what the context chips hold; a question refused before sending gives them back. */
  async send(text: string): Promise<void> {
    // Sending is a first need like opening the view; a failed start shows on the answer, which waits for it.
    this.services.start().catch(() => undefined);
    const attachments = this.context.take();
    const images = this.context.takeImages();
    try {
      await this.services.conversations.send(text, attachments, images);
    } catch (error) {
      this.context.putBack(attachments, images);
      throw error;
    }
  }

  broadcast(message: HostToWebview): void {
    for (const channel of this.channels) channel.post(message);
  }

  dispose(): void {
    this.subscriptions.dispose();
    for (const channel of this.channels) channel.dispose();
    this.channels.clear();
  }

  private async handle(message: WebviewToHost, channel: WebviewChannel): Promise<void> {
    const conversations = this.services.conversations;
    switch (message.type) {
      case 'ready': {
        // The first chat view to open is what starts Patchbay's work (config, plugins, models).
        if (!this.modelsRequested) {
          this.modelsRequested = true;
          this.services
            .start()
            .then(() => this.services.models.refresh())
            .catch((error: unknown) => this.log.error(`refreshing models failed: ${describeError(error)}`));
        }
        const { page, oldestShown } = latestPage(conversations.conversation);
        this.oldestShown.set(channel, oldestShown);
        channel.markReady({
          type: 'init',
          page,
          models: toModelsState(this.services.models.snapshot()),
          busy: conversations.busy,
          pluginUi: toChatPluginUi(this.services.plugins.pluginUi()),
          context: this.context.chips(),
        });
        this.postImages(page.conversation.turns, [channel]);
        return;
      }
      case 'send':
        try {
          return await this.send(message.text);
        } catch (error) {
          if (!(error instanceof PatchbayError)) throw error;
          // Refused before anything was sent (a model that cannot read images...): the text goes back to the input.
          channel.post({ type: 'unsent', text: message.text });
          return this.warnRefused(error);
        }
      case 'addImage':
        if (message.data === '' && message.size > MAX_IMAGE_BYTES) throw imageTooLarge(message.name, message.size);
        return this.context.addImage(Buffer.from(message.data, 'base64'), message.name);
      case 'loadEarlier': {
        if (message.conversationId !== conversations.conversation.id) return;
        const { turns, earlier } = pageBefore(conversations.conversation, this.oldestShown.get(channel));
        if (turns[0]) this.oldestShown.set(channel, turns[0].id);
        channel.post({ type: 'turnsPrepended', conversationId: message.conversationId, turns, earlier });
        this.postImages(turns, [channel]);
        return;
      }
      case 'showHistory':
        return this.showHistory(message.query, channel);
      case 'openConversation':
        if (!(await this.services.conversations.open(message.conversationId))) void vscode.window.showWarningMessage('Patchbay: that conversation could not be opened; it may have been deleted.');
        return;
      case 'renameConversation':
        await this.services.conversations.rename(message.conversationId, message.title);
        return this.showHistory('', channel);
      case 'deleteConversation':
        await this.services.conversations.delete(message.conversationId);
        return this.showHistory('', channel);
      case 'exportConversation':
        return exportConversation(this.services, message.conversationId);
      case 'addContext':
        return this.addContext(message.kind);
      case 'removeContext':
        return this.context.remove(message.chipId);
      case 'suggestFiles': {
        // A bare "@" lists the context providers; a word after it, files and resources too.
        const providers = this.matchingProviders(message.query);
        if (message.query === '') return channel.post({ type: 'fileSuggestions', requestId: message.requestId, files: providers });
        const [files, resources] = await Promise.all([this.context.suggestFiles(message.query), this.context.suggestResources(this.services.mcp, message.query).catch(() => [])]);
        channel.post({ type: 'fileSuggestions', requestId: message.requestId, files: [...providers, ...files, ...resources] });
        return;
      }
      case 'suggestContext': {
        const typed = message.query.trim() === '' ? [] : [{ path: contextMentionPath(message.provider, message.query), name: `Add @${message.provider} ${message.query}` }];
        const suggestions = await this.services.context.suggest(message.provider, message.query).catch(() => []);
        const offered = suggestions
          .filter((suggestion) => suggestion.query !== message.query)
          .map((suggestion) => ({ path: contextMentionPath(message.provider, suggestion.query), name: `@${message.provider} ${suggestion.label ?? suggestion.query}${suggestion.description ? ` — ${suggestion.description}` : ''}` }));
        channel.post({ type: 'fileSuggestions', requestId: message.requestId, files: [...typed, ...offered] });
        return;
      }
      case 'addProviderContext': {
        const ok = await this.addProviderContext(message.provider, message.query);
        channel.post({ type: 'providerContextAdded', requestId: message.requestId, ok });
        return;
      }
      case 'addFileContext':
        return isResourceMention(message.path) ? this.context.addMentionedResource(this.services.mcp, message.path) : this.context.addFile(message.path);
      case 'copyMessage':
        return copyMessage(this.services, message.turnId);
      case 'deleteTurn':
        return conversations.deleteTurn(message.turnId);
      case 'editAndResend':
        return conversations.editAndResend(message.turnId, message.text);
      case 'retryWithModel':
        return vscode.commands.executeCommand('patchbay.retryWithModel') as Promise<void>;
      case 'stop':
        return conversations.stop();
      case 'retry':
        return conversations.retry();
      case 'newChat':
        return conversations.newChat();
      case 'selectModel':
        return this.services.models.select({ providerId: message.providerId, modelId: message.modelId });
      case 'refreshModels':
        await this.services.models.refresh();
        return;
      case 'codeAction':
        return runCodeAction(message.action, message.code, message.language, this.editors);
      case 'recover':
        return this.recover(message.action);
      case 'runAction':
        return this.runAction(message.actionKey, message.turnId);
      case 'approveToolCall':
        return this.services.tools.decide(message.callId, message.decision);
      case 'listToolToggles':
        return this.postToolToggles([channel]);
      case 'decideProposal':
        // The same commands as the diff editor's title bar buttons.
        return vscode.commands.executeCommand(message.decision === 'accept' ? 'patchbay.acceptProposal' : 'patchbay.rejectProposal', message.proposalId);
      case 'setToolEnabled':
        conversations.setToolEnabled(message.key, message.enabled);
        // Every open chat view shows the same conversation.
        return this.postToolToggles([...this.channels]);
    }
    // Every case returns: a message type without a case above fails to compile here.
    return assertNever(message);
  }

  private relay(event: SessionEvent): void {
    if (event.type === 'turnAdded') {
      this.broadcast(event);
      return this.postImages([event.turn], [...this.channels]);
    }
    if (event.type !== 'reset') return this.broadcast(event);
    const { page, oldestShown } = latestPage(event.conversation);
    for (const channel of this.channels) {
      this.oldestShown.set(channel, oldestShown);
      channel.post({ type: 'conversationReset', page });
    }
    this.postImages(page.conversation.turns, [...this.channels]);
  }

  /** The pictures of the images the shown questions carry, after the turns (read from the history when not in memory). */
  private postImages(turns: readonly Turn[], channels: readonly WebviewChannel[]): void {
    const images = turns.flatMap((turn) => (turn.role === 'user' ? turn.images ?? [] : []));
    if (images.length === 0) return;
    const conversationId = this.services.conversations.conversation.id;
    this.services.conversations.imageUris(conversationId, images).then(
      (found) => {
        if (found.length > 0) for (const channel of channels) channel.post({ type: 'images', images: found });
      },
      (error: unknown) => this.log.warn(`could not read the images of conversation ${conversationId}: ${describeError(error)}`),
    );
  }

  /** A question refused before it was sent: why, what to do, and the buttons that do it. */
  private async warnRefused(error: PatchbayError): Promise<void> {
    const buttons: Partial<Record<RecoveryActionId, string>> = { selectModel: 'Select Model', openConfig: 'Open Config' };
    const offered = error.actions.flatMap((action) => (buttons[action] ? [{ title: buttons[action], action }] : []));
    const hint = error.hint ? ` ${error.hint}` : '';
    const choice = await vscode.window.showWarningMessage(`Patchbay: ${this.services.describeForUser(error)}${hint}`, ...offered);
    if (choice) await this.recover(choice.action);
  }

  private postToolToggles(channels: readonly WebviewChannel[]): void {
    const { conversations } = this.services;
    for (const channel of channels) channel.post({ type: 'toolToggles', conversationId: conversations.conversation.id, groups: conversations.toolToggles() });
  }

  private async showHistory(query: string, channel: WebviewChannel): Promise<void> {
    const items = await this.services.conversations.list(query);
    channel.post({ type: 'history', items, query, currentId: this.services.conversations.conversation.id });
  }

  private async addContext(kind: ContextKind): Promise<void> {
    switch (kind) {
      case 'selection':
        this.context.addSelection();
        return;
      case 'file':
        return this.context.addCurrentFile();
      case 'editors':
        return this.context.addOpenEditors();
      case 'problems':
        return this.context.addProblems();
      case 'resource':
        return this.context.addMcpResource(this.services.mcp);
      case 'plugin':
        return this.pickProviderContext();
      case 'image':
        return this.context.addImageFiles();
    }
    return assertNever(kind);
  }

  /** Carries out what an action or command returned (a change to the answer's text is already made). */
  async carryOutResult(result: ActionResult, pluginId: string, notifyPrefix = ''): Promise<void> {
    await carryOutActionResult(result, pluginId, {
      editors: this.editors,
      context: this.context,
      send: async (text) => {
        await vscode.commands.executeCommand('patchbay.openChat');
        await this.send(text);
      },
      fillInput: (text) => {
        void Promise.resolve(vscode.commands.executeCommand('patchbay.openChat')).then(() => this.broadcast({ type: 'fillInput', text }));
      },
    }, notifyPrefix);
  }

  /** The context providers whose name starts with (or holds) the typed word, as `@` suggestions. */
  private matchingProviders(query: string): { path: string; name: string }[] {
    const needle = query.toLowerCase();
    return this.services.context
      .list()
      .map((provider) => ({ provider, score: provider.name.toLowerCase().startsWith(needle) ? 0 : provider.name.toLowerCase().includes(needle) ? 1 : 2 }))
      .filter((item) => item.score < 2)
      .sort((a, b) => a.score - b.score || a.provider.name.localeCompare(b.provider.name))
      .map(({ provider }) => ({ path: contextMentionPath(provider.name), name: `@${provider.name} — ${provider.description}` }));
  }

  /** A provider's context as a chip; on failure the user is told why, and false comes back. */
  private async addProviderContext(provider: string, query: string): Promise<boolean> {
    try {
      const attachment = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Patchbay: @${provider}…` }, () => this.services.context.resolve(provider, query));
      this.context.addProvided(attachment);
      return true;
    } catch (error) {
      void vscode.window.showWarningMessage(`Patchbay: ${this.services.describeForUser(error)}`, 'Show Logs').then((choice) => {
        if (choice) void vscode.commands.executeCommand('patchbay.showLogs');
      });
      return false;
    }
  }

  /** "Add Context → Context Provider…": pick a provider, type its query if it takes one. */
  private async pickProviderContext(): Promise<void> {
    const providers = this.services.context.list();
    if (providers.length === 0) {
      void vscode.window.showInformationMessage('Patchbay: no plugin offers context (see the Plugins view).');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      providers.map((provider) => ({ label: `@${provider.name}`, description: provider.plugin, detail: provider.description, provider })),
      { title: 'Patchbay: Add Context from a Plugin', placeHolder: 'Context provider', matchOnDetail: true },
    );
    if (!picked) return;
    let query = '';
    if (picked.provider.queryHint) {
      const typed = await vscode.window.showInputBox({ title: `Patchbay: @${picked.provider.name}`, prompt: picked.provider.queryHint, placeHolder: picked.provider.queryHint, ignoreFocusOut: true });
      if (typed === undefined) return;
      query = typed;
    }
    await this.addProviderContext(picked.provider.name, query);
  }

  private async runAction(actionKey: string, turnId: string): Promise<void> {
    const action = this.services.plugins.pluginUi().actions.find((item) => item.key === actionKey);
    const label = action?.label ?? 'Plugin action';
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `${label}…`, cancellable: true },
        (_progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
          return this.services.conversations.runAction(actionKey, turnId, controller.signal);
        },
      );
      await this.carryOutResult(result, action?.plugin ?? actionKey.split('/')[0] ?? '');
    } catch (error) {
      void vscode.window.showErrorMessage(this.services.describeForUser(error), 'Show Logs').then((choice) => {
        if (choice) void vscode.commands.executeCommand('patchbay.showLogs');
      });
    }
  }

  private async recover(action: RecoveryActionId): Promise<void> {
    const commands: Record<Exclude<RecoveryActionId, 'retry' | 'continue'>, [string, ...unknown[]]> = {
      setApiKey: ['patchbay.setApiKey'],
      selectModel: ['patchbay.selectModel'],
      refreshModels: ['patchbay.refreshModels'],
      openConfig: ['patchbay.openWorkspaceConfig'],
      openSettings: ['workbench.action.openSettings', 'patchbay'],
      showLogs: ['patchbay.showLogs'],
    };
    if (action === 'retry') return this.services.conversations.retry();
    if (action === 'continue') return this.services.conversations.continueAnswer();
    const [command, ...args] = commands[action];
    await vscode.commands.executeCommand(command, ...args);
  }
}

/** Opens the conversation as a Markdown document the user can save where they like. */
export async function exportConversation(services: ChatServices, conversationId: string): Promise<void> {
  const exported = await services.conversations.export(conversationId);
  if (!exported) return;
  const document = await vscode.workspace.openTextDocument({ content: exported.markdown, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: false });
}

async function copyMessage(services: ChatServices, turnId: string): Promise<void> {
  const turn = services.conversations.conversation.turns.find((item) => item.id === turnId);
  if (!turn) return;
  await vscode.env.clipboard.writeText(turn.role === 'user' ? turn.text : turn.content);
  void vscode.window.setStatusBarMessage('Patchbay: message copied', 2000);
}

export function toModelsState(snapshot: ModelsSnapshot): ModelsState {
  return {
    loading: snapshot.loading,
    ...(snapshot.selected ? { selected: snapshot.selected } : {}),
    localServersNotAnswering: snapshot.localServersNotAnswering.map((server) => ({ ...server })),
    discoversLocalServers: snapshot.discoversLocalServers,
    groups: snapshot.groups.map((group) => ({
      providerId: group.providerId,
      label: group.label,
      ...(group.source === 'workspace-config' && group.host !== undefined ? { workspaceHost: group.host } : {}),
      models: group.models.map((model) => ({
        id: model.id,
        label: model.label ?? model.id,
        ...(model.details ? { detail: model.details } : {}),
      })),
      ...(group.problem ? { problem: group.problem } : {}),
    })),
  };
}

/** The chat's part of what plugins add (their commands are the command palette's). */
function toChatPluginUi(ui: CorePluginUi): PluginUi {
  return { actions: ui.actions, slashCommands: ui.slashCommands, contextProviders: ui.contextProviders };
}
