/** Copy / Insert at Cursor / Open in New File for a code block of an answer. */
import * as vscode from 'vscode';
import type { CodeAction } from '../protocol/messages';
import type { EditorTracker } from './editorTracker';

/** Fence names models use -> VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  js: 'javascript', jsx: 'javascriptreact', ts: 'typescript', tsx: 'typescriptreact', py: 'python',
  sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript', console: 'shellscript',
  yml: 'yaml', md: 'markdown', rs: 'rust', golang: 'go', cs: 'csharp', 'c#': 'csharp', 'c++': 'cpp',
  kt: 'kotlin', rb: 'ruby', ps1: 'powershell', text: 'plaintext', txt: 'plaintext', html: 'html', xml: 'xml',
};

export async function runCodeAction(action: CodeAction, code: string, language: string | undefined, editors: EditorTracker): Promise<void> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage('Patchbay: code copied', 2000);
      return;
    case 'insert':
      return insertAtCursor(code, language, editors);
    case 'newFile':
      return openInNewFile(code, language);
  }
}

async function insertAtCursor(code: string, language: string | undefined, editors: EditorTracker): Promise<void> {
  const editor = editors.lastTextEditor();
  if (!editor) {
    // Nowhere to insert: a new file keeps the code instead of dropping it.
    await openInNewFile(code, language);
    return;
  }
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
  // One edit for all cursors, so a single Undo takes it back.
  await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, code);
  });
}

async function openInNewFile(code: string, language: string | undefined): Promise<void> {
  const languageId = languageIdFor(language);
  const known = languageId ? (await vscode.languages.getLanguages()).includes(languageId) : false;
  const document = await vscode.workspace.openTextDocument(known && languageId ? { content: code, language: languageId } : { content: code });
  await vscode.window.showTextDocument(document, { preview: false });
}

export function languageIdFor(fence: string | undefined): string | undefined {
  if (!fence) return undefined;
  const name = fence.trim().toLowerCase().split(/\s+/)[0] ?? '';
  return LANGUAGE_ALIASES[name] ?? (name || undefined);
}
