/**
 * The workspace's read services for plugins in VS Code: files through the core's
 * WorkspaceReader with the editor's part filled in (open documents' text, `files.exclude`,
 * the ripgrep VS Code ships, what the user attached), and the editor's own state: its
 * diagnostics and the active selection.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EditorSelection, WorkspaceProblems, WorkspaceServices } from '../core/api';
import type { ChatServices } from '../core/chatServices';
import { ripgrepCandidates } from '../core/workspace/ripgrep';
import { WorkspaceReader } from '../core/workspace/workspaceReader';
import type { WorkspaceRoot } from '../core/workspace/workspacePaths';

type ReadServices = Pick<WorkspaceServices, 'readFile' | 'listFiles' | 'searchText' | 'getProblems' | 'getSelection'>;

const MAX_PROBLEMS = 200;
const MAX_SELECTION_CHARS = 20_000;
const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;

export function workspaceReadServices(services: () => ChatServices | undefined): ReadServices {
  let ripgrep: string | null | undefined;
  const reader = new WorkspaceReader({
    roots: workspaceRoots,
    ripgrep: () => {
      // Found once: it moves only with an update of the editor, which restarts the extension.
      ripgrep ??= ripgrepCandidates(vscode.env.appRoot).find((candidate) => existsSync(candidate)) ?? null;
      return ripgrep ?? undefined;
    },
    excludes: (root) => {
      const patterns = vscode.workspace.getConfiguration('files', vscode.Uri.file(root.path)).get<Record<string, unknown>>('exclude') ?? {};
      // `true` leaves a pattern's files out; a `when` clause (sibling-dependent) is beyond a plain check, so it counts as on.
      return Object.entries(patterns).filter(([, on]) => on === true || (typeof on === 'object' && on !== null)).map(([pattern]) => pattern);
    },
    openText: (absolute) => {
      const document = vscode.workspace.textDocuments.find((item) => item.uri.scheme === 'file' && item.uri.fsPath === absolute);
      return document ? { text: document.getText(), dirty: document.isDirty } : undefined;
    },
    attached: (absolute) => isAttached(services(), absolute),
  });
  return {
    readFile: (path, range) => reader.readFile(path, range),
    listFiles: (options) => reader.listFiles(options),
    searchText: (query, options) => reader.searchText(query, options),
    getProblems: (path) => problems(reader, path),
    getSelection: () => selection(reader),
  };
}

function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ name: folder.name, path: folder.uri.fsPath }));
}

/** A file the user attached to a question of the open conversation (a context chip). */
function isAttached(services: ChatServices | undefined, absolute: string): boolean {
  if (!services) return false;
  const shown = vscode.workspace.asRelativePath(vscode.Uri.file(absolute), false);
  return services.conversations.conversation.turns.some((turn) => turn.role === 'user' && turn.attachments.some((item) => item.kind === 'file' && item.label === shown));
}

async function problems(reader: WorkspaceReader, requested: string | undefined): Promise<WorkspaceProblems> {
  let entries: [vscode.Uri, readonly vscode.Diagnostic[]][];
  if (requested !== undefined && requested.trim() !== '') {
    const uri = vscode.Uri.file((await reader.readablePath(requested)).absolute);
    entries = [[uri, vscode.languages.getDiagnostics(uri)]];
  } else {
    entries = vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'file');
  }
  const found: WorkspaceProblems['problems'] = [];
  for (const [uri, diagnostics] of entries) {
    if (diagnostics.length === 0) continue;
    const shown = (await reader.readablePath(uri.fsPath).catch(() => undefined))?.shown;
    if (shown === undefined) continue;
    for (const diagnostic of diagnostics) {
      found.push({
        path: shown,
        line: diagnostic.range.start.line + 1,
        severity: SEVERITIES[diagnostic.severity] ?? 'information',
        ...(diagnostic.source ? { source: diagnostic.source } : {}),
        message: diagnostic.message,
      });
    }
  }
  found.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.path.localeCompare(b.path) || a.line - b.line);
  return { problems: found.slice(0, MAX_PROBLEMS), total: found.length };
}

async function selection(reader: WorkspaceReader): Promise<EditorSelection | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { document, selection: range } = editor;
  const path = document.uri.scheme === 'file' ? (await reader.readablePath(document.uri.fsPath)).shown : document.uri.toString(true);
  const text = document.getText(range);
  return { path, startLine: range.start.line + 1, endLine: range.end.line + 1, text: text.slice(0, MAX_SELECTION_CHARS), truncated: text.length > MAX_SELECTION_CHARS };
}
