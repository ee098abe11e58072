/**
 * Where the chat appears: a view in Patchbay's own activity-bar container, and editor
 * tabs ("Open Chat in Editor"), which VS Code restores after a window reload.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../core/util/disposables';
import type { ChatController } from './chatController';

export const CHAT_VIEW_ID = 'patchbay.chatView';
const CHAT_PANEL_TYPE = 'patchbay.chatPanel';

export class ChatViews implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly registrations = new DisposableStore();

  constructor(
    private readonly controller: ChatController,
    private readonly extensionUri: vscode.Uri,
    /** Told when a chat view or tab begins to open, before its page loads. */
    private readonly onViewOpening: () => void = () => undefined,
  ) {
    this.registrations.add(
      vscode.window.registerWebviewViewProvider(
        CHAT_VIEW_ID,
        { resolveWebviewView: (view) => this.connect(view.webview, view) },
        { webviewOptions: { retainContextWhenHidden: true } },
      ),
    );
    this.registrations.add(
      vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adoptPanel(panel),
      }),
    );
  }

  async revealView(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  revealPanel(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, 'Patchbay Chat', vscode.ViewColumn.Beside, {
      retainContextWhenHidden: true,
    });
    this.adoptPanel(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    this.registrations.dispose();
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'patchbay.svg');
    this.connect(panel.webview, panel);
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private connect(webview: vscode.Webview, owner: { onDidDispose: vscode.Event<void> }): void {
    this.onViewOpening();
    const connection = this.controller.attach(webview);
    owner.onDidDispose(() => connection.dispose());
  }
}
