/** The editor's selection as an attachment that goes with a question. */
import * as vscode from 'vscode';
import type { ContextAttachment } from '../core/chat/conversation';
import type { EditorTracker } from './editorTracker';

export function selectionAttachment(editors: EditorTracker): ContextAttachment | undefined {
  const editor = editors.lastTextEditor();
  if (!editor || editor.selection.isEmpty) return undefined;
  const { document, selection } = editor;
  const text = document.getText(selection);
  if (text.trim() === '') return undefined;
  const name = vscode.workspace.asRelativePath(document.uri, false);
  const first = selection.start.line + 1;
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return {
    kind: 'selection',
    label: first === lastLine ? `${name}:${first}` : `${name}:${first}-${lastLine}`,
    language: document.languageId,
    text,
  };
}
