/** The "Patchbay" output channel as the core's Logger; every line passes the redactor. */
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import type { Redactor } from '../core/util/redactor';

export function createOutputLog(redactor: Redactor): { log: Logger; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('Patchbay', { log: true });
  const log: Logger = {
    debug: (message) => channel.debug(redactor.redact(message)),
    info: (message) => channel.info(redactor.redact(message)),
    warn: (message) => channel.warn(redactor.redact(message)),
    error: (message) => channel.error(redactor.redact(message)),
  };
  return { log, channel };
}
