/**
 * The "Patchbay" output channel as the core's Logger; every line passes the redactor. The
 * channel is created with its first line, not at activation: creating it is a round trip to
 * VS Code's window that the chat's first paint should not wait for.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/util/redactor';

export interface OutputLog extends vscode.Disposable {
  log: Logger;
  show(): void;
}

export function createOutputLog(redactor: Redactor): OutputLog {
  let channel: vscode.LogOutputChannel | undefined;
  const open = () => (channel ??= vscode.window.createOutputChannel('Patchbay', { log: true }));
  return {
    log: {
      debug: (message) => open().debug(redactor.redact(message)),
      info: (message) => open().info(redactor.redact(message)),
      warn: (message) => open().warn(redactor.redact(message)),
      error: (message) => open().error(redactor.redact(message)),
    },
    show: () => open().show(true),
    dispose: () => channel?.dispose(),
  };
}
