/**
 * What goes with the next question, gathered from the editor: the selection, the current
 * file, `@file` mentions, the open editors, a file's Problems, and images (pasted, dropped or
 * picked). Each item shows as a chip with its size and can be removed before sending; sending
 * takes them all.
 */
import * as vscode from 'vscode';
import { checkImageCount, imageTooLarge, MAX_IMAGE_BYTES, sizeText as imageSizeText, type ImageFile } from '../core/chat/chatImages';
import { acceptImage } from '../core/chat/imageFiles';
import type { ContextAttachment } from '../core/chat/conversation';
import { estimateTokens } from '../core/chat/contextWindow';
import type { ContextChip, FileSuggestion } from '../protocol/messages';
import type { EditorTracker } from './editorTracker';
import { selectionAttachment } from './selectionContext';
import { resolveWorkspaceFile } from './workspaceFile';
import type { McpService } from '../core/mcp/mcpService';
import { matchingResources, mcpResourceAttachment, mcpResourceChoices, mentionPathOf, resourceOfMention } from '../core/mcp/mcpResourceContext';

/** Larger files are cut: a chat message is no place for a megabyte of code. */
const MAX_FILE_CHARACTERS = 100_000;
const MAX_OPEN_EDITORS = 8;
const FILE_LIST_LIMIT = 5000;
const FILE_LIST_TTL_MS = 30_000;

interface TrayItem extends ContextAttachment {
  id: string;
}

interface TrayImage {
  id: string;
  image: ImageFile;
  /** Its chip's picture, made once. */
  thumbnail: string;
}

export class ContextTray implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ContextChip[]>();
  readonly onDidChange = this.changed.event;
  private items: TrayItem[] = [];
  private images: TrayImage[] = [];
  private counter = 0;
  private fileList: { at: number; files: vscode.Uri[] } | undefined;

  constructor(private readonly editors: EditorTracker) {}

  chips(): ContextChip[] {
    return [
      ...this.items.map((item) => ({ id: item.id, kind: item.kind, label: item.label, size: sizeText(item.text) })),
      ...this.images.map(({ id, image, thumbnail }) => ({ id, kind: 'image' as const, label: image.name, size: imageSizeText(image.size), thumbnail })),
    ];
  }

  /** The images for a question, emptying that part of the tray. */
  takeImages(): ImageFile[] {
    const taken = this.images.map(({ image }) => image);
    if (this.images.length > 0) {
      this.images = [];
      this.fire();
    }
    return taken;
  }

  /** Puts back what a question took when it was refused before anything was sent: nothing is lost. */
  putBack(attachments: readonly ContextAttachment[], images: readonly ImageFile[]): void {
    for (const attachment of attachments) this.add(attachment);
    for (const image of images) this.addAccepted(image);
  }

  /** An image pasted or dropped into the input; throws a PatchbayError saying why one is refused. */
  addImage(bytes: Uint8Array, name: string): void {
    this.addAccepted(acceptImage(bytes, name));
  }

  /** "Add Context → Image…": image files picked in a file dialog. */
  async addImageFiles(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Patchbay: Add Image',
      openLabel: 'Add Image',
      canSelectMany: true,
      filters: { Images: ['png', 'jpg', 'jpeg', 'gif', 'webp'] },
    });
    for (const uri of picked ?? []) {
      const name = uri.path.split('/').at(-1) ?? uri.path;
      try {
        // A huge file is refused by its size before it is read.
        const { size } = await vscode.workspace.fs.stat(uri);
        if (size > MAX_IMAGE_BYTES) throw imageTooLarge(name, size);
        this.addImage(await vscode.workspace.fs.readFile(uri), name);
      } catch (error) {
        void vscode.window.showWarningMessage(`Patchbay: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
  }

  /** The attachments for a question, emptying the tray. */
  take(): ContextAttachment[] {
    const taken = this.items.map(({ id: _id, ...attachment }) => attachment);
    if (this.items.length > 0) {
      this.items = [];
      this.fire();
    }
    return taken;
  }

  remove(id: string): void {
    this.items = this.items.filter((item) => item.id !== id);
    this.images = this.images.filter((item) => item.id !== id);
    this.fire();
  }

  /** Adds the editor's selection; says so and returns false when nothing is selected. */
  addSelection(): boolean {
    const attachment = selectionAttachment(this.editors);
    if (!attachment) {
      void vscode.window.showInformationMessage('Patchbay: select some code in an editor first.');
      return false;
    }
    this.add(attachment);
    return true;
  }

  async addCurrentFile(): Promise<void> {
    const editor = this.editors.lastTextEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('Patchbay: open a file in an editor first.');
      return;
    }
    this.add(fileAttachment(editor.document));
  }

  /** Adds a workspace file named by the webview (an `@` mention): only from inside the workspace. */
  async addFile(relativePath: string): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    const shownPath = relativePath.length > 200 ? `${relativePath.slice(0, 200)}…` : relativePath;
    const resolved = await resolveWorkspaceFile(relativePath, folders);
    if ('refused' in resolved) {
      void vscode.window.showWarningMessage(`Patchbay: ${shownPath} was not added: ${resolved.refused}.`);
      return;
    }
    try {
      this.add(fileAttachment(await vscode.workspace.openTextDocument(vscode.Uri.file(resolved.file))));
    } catch (error) {
      void vscode.window.showWarningMessage(`Patchbay: cannot read ${shownPath}: ${(error as Error).message}`);
    }
  }

  addOpenEditors(): void {
    const documents = vscode.window.visibleTextEditors.map((editor) => editor.document).filter((document) => document.uri.scheme !== 'output');
    const unique = documents.filter((document, index) => documents.findIndex((other) => other.uri.toString() === document.uri.toString()) === index);
    if (unique.length === 0) {
      void vscode.window.showInformationMessage('Patchbay: no editors are open.');
      return;
    }
    for (const document of unique.slice(0, MAX_OPEN_EDITORS)) this.add(fileAttachment(document, 'editors'));
  }

  addProblems(): void {
    const editor = this.editors.lastTextEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('Patchbay: open a file in an editor first; its Problems go with the question.');
      return;
    }
    const name = vscode.workspace.asRelativePath(editor.document.uri, false);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    if (diagnostics.length === 0) {
      void vscode.window.showInformationMessage(`Patchbay: ${name} has no problems.`);
      return;
    }
    const lines = diagnostics.map((diagnostic) => {
      const where = `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
      const source = diagnostic.source ? ` (${diagnostic.source}${diagnostic.code !== undefined ? ` ${typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code}` : ''})` : '';
      const code = editor.document.lineAt(diagnostic.range.start.line).text.trim();
      return `${name}:${where} ${severityName(diagnostic.severity)}: ${diagnostic.message}${source}\n    ${code}`;
    });
    this.add({ kind: 'problems', label: `Problems in ${name}`, text: lines.join('\n') });
  }

  /** "Add Context → MCP Resource…": a resource of a connected MCP server, picked, attached as its text. */
  async addMcpResource(mcp: McpService): Promise<void> {
    const choices = await mcpResourceChoices(mcp);
    if (choices.length === 0) {
      const connected = mcp.statuses().some((status) => status.state.kind === 'connected');
      void vscode.window.showInformationMessage(connected ? 'Patchbay: the connected MCP servers offer no resources.' : 'Patchbay: no MCP server is connected (see "MCP servers" in the Plugins view).');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      choices.map((choice) => ({ label: choice.name, description: choice.server, detail: choice.description ?? choice.uri, choice })),
      { title: 'Patchbay: Add MCP Resource', placeHolder: 'Resource to add to the question', matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return;
    try {
      this.add(await mcpResourceAttachment(mcp, picked.choice));
    } catch (error) {
      void vscode.window.showWarningMessage(`Patchbay: cannot read ${picked.choice.uri}: ${(error as Error).message}`);
    }
  }

  /** What a plugin's context provider resolved (`@git`, `@url …`). */
  addProvided(attachment: ContextAttachment): void {
    this.add(attachment);
  }

  /** The connected MCP servers' resources for an `@` mention, after the files. */
  async suggestResources(mcp: McpService, query: string): Promise<FileSuggestion[]> {
    const choices = await mcpResourceChoices(mcp);
    return matchingResources(choices, query).map((choice) => ({ path: mentionPathOf(choice), name: `${choice.name} (${choice.server})` }));
  }

  /** A resource picked from an `@` mention's list. */
  async addMentionedResource(mcp: McpService, path: string): Promise<void> {
    const choice = resourceOfMention(path, await mcpResourceChoices(mcp));
    if (!choice) {
      void vscode.window.showWarningMessage('Patchbay: that MCP resource is no longer offered (is its server still connected?).');
      return;
    }
    try {
      this.add(await mcpResourceAttachment(mcp, choice));
    } catch (error) {
      void vscode.window.showWarningMessage(`Patchbay: cannot read ${choice.uri}: ${(error as Error).message}`);
    }
  }

  /** Text a plugin action put in a chip, under the plugin's name. */
  addPluginText(pluginId: string, title: string, text: string): void {
    this.add({ kind: 'plugin', label: `${pluginId}: ${title}`, text });
  }

  /** Workspace files for an `@` mention: names that start with the query first. */
  async suggestFiles(query: string): Promise<FileSuggestion[]> {
    const files = await this.workspaceFiles();
    const needle = query.toLowerCase();
    const scored = files
      .map((uri) => {
        const path = vscode.workspace.asRelativePath(uri, false);
        const name = path.split('/').at(-1) ?? path;
        const lowerName = name.toLowerCase();
        const score = lowerName.startsWith(needle) ? 0 : lowerName.includes(needle) ? 1 : path.toLowerCase().includes(needle) ? 2 : 3;
        return { path, name, score };
      })
      .filter((item) => item.score < 3)
      .sort((a, b) => a.score - b.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
    return scored.slice(0, 30).map(({ path, name }) => ({ path, name }));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private add(attachment: ContextAttachment): void {
    // The same thing twice is one chip: the newer content replaces the older.
    this.items = this.items.filter((item) => item.label !== attachment.label);
    this.items.push({ ...attachment, id: `context-${++this.counter}` });
    this.fire();
  }

  private addAccepted(image: ImageFile): void {
    // The same image twice is one chip.
    if (this.images.some((item) => item.image.sha256 === image.sha256)) return;
    checkImageCount(this.images.length + 1);
    const thumbnail = `data:${image.mimeType};base64,${image.data}`;
    this.images.push({ id: `context-${++this.counter}`, image, thumbnail });
    this.fire();
  }

  private async workspaceFiles(): Promise<vscode.Uri[]> {
    if (this.fileList && Date.now() - this.fileList.at < FILE_LIST_TTL_MS) return this.fileList.files;
    const files = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', FILE_LIST_LIMIT);
    this.fileList = { at: Date.now(), files };
    return files;
  }

  private fire(): void {
    this.changed.fire(this.chips());
  }
}

function fileAttachment(document: vscode.TextDocument, kind: 'file' | 'editors' = 'file'): ContextAttachment {
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const full = document.getText();
  const text = full.length > MAX_FILE_CHARACTERS ? `${full.slice(0, MAX_FILE_CHARACTERS)}\n[… the rest of ${name} (${(full.length - MAX_FILE_CHARACTERS).toLocaleString('en-US')} characters) is left out …]` : full;
  return { kind, label: name, language: document.languageId, text };
}

export function sizeText(text: string): string {
  const lines = text === '' ? 0 : text.split('\n').length;
  const bytes = Buffer.byteLength(text);
  const size = bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
  return `${lines} line${lines === 1 ? '' : 's'} · ${size} · ~${estimateTokens(text).toLocaleString('en-US')} tokens`;
}

function severityName(severity: vscode.DiagnosticSeverity): string {
  return ['error', 'warning', 'info', 'hint'][severity] ?? 'problem';
}
