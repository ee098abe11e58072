/**
 * Carries out what a plugin action or command returned (already checked by the core, which
 * also applied any change to the answer's text): a notification, text into the editor, a new
 * document, a context chip, a follow-up question.
 */
import * as vscode from 'vscode';
import type { ActionResult } from '../core/api';
import { runCodeAction } from './codeActions';
import type { ContextTray } from './contextTray';
import type { EditorTracker } from './editorTracker';

export interface ActionResultTargets {
  editors: EditorTracker;
  context: ContextTray;
  /** Asks a question in the chat. */
  send(text: string): Promise<void>;
  /** Puts text in the chat's input for the user to finish. */
  fillInput(text: string): void;
}

export async function carryOutActionResult(result: ActionResult, pluginId: string, targets: ActionResultTargets, notifyPrefix = ''): Promise<void> {
  if (result.notify) void vscode.window.showInformationMessage(`${notifyPrefix}${result.notify}`);
  if (result.insertText !== undefined) await runCodeAction('insert', result.insertText, undefined, targets.editors);
  if (result.openDocument) await runCodeAction('newFile', result.openDocument.content, result.openDocument.language, targets.editors);
  if (result.addContext) targets.context.addPluginText(pluginId, result.addContext.title, result.addContext.content);
  if (result.followUp) {
    if (result.followUp.send) await targets.send(result.followUp.text);
    else targets.fillInput(result.followUp.text);
  }
}
