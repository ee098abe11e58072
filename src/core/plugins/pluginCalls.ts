/**
 * Every call into plugin code after activation (a filter, an action, a command, a tool) goes
 * through here: it gets a signal that aborts on Stop, on timeout or when the plugin
 * unloads, and the caller stops waiting at the timeout even if the plugin ignores its
 * signal, so a hanging plugin can never hang the chat.
 */
import type { CallContext, PluginLogger } from '../api';

export class PluginCallTimeout extends Error {
  constructor(readonly pluginId: string, what: string, timeoutMs: number) {
    super(`${what} of plugin "${pluginId}" did not finish within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'PluginCallTimeout';
  }
}

export interface PluginCall {
  pluginId: string;
  /** For messages: "the inlet of filter x". */
  what: string;
  timeoutMs: number;
  log: PluginLogger;
  /** The user's Stop, if the call belongs to an answer. */
  signal?: AbortSignal;
  /** Aborted when the plugin unloads. */
  pluginSignal?: AbortSignal;
}

export function callPlugin<T>(call: PluginCall, run: (context: CallContext) => T | Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abortWith = (reason: unknown) => controller.abort(reason);
  const sources = [call.signal, call.pluginSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      for (const source of sources) source.removeEventListener('abort', onSourceAbort);
    };
    const onSourceAbort = () => {
      const reason = sources.find((source) => source.aborted)?.reason ?? new Error('aborted');
      abortWith(reason);
      cleanup();
      reject(reason instanceof Error ? reason : Object.assign(new Error(String(reason)), { name: 'AbortError' }));
    };
    const timer = setTimeout(() => {
      const timeout = new PluginCallTimeout(call.pluginId, call.what, call.timeoutMs);
      abortWith(timeout);
      cleanup();
      reject(timeout);
    }, call.timeoutMs);
    for (const source of sources) {
      if (source.aborted) return onSourceAbort();
      source.addEventListener('abort', onSourceAbort, { once: true });
    }
    Promise.resolve()
      .then(() => run({ signal: controller.signal, log: call.log }))
      .then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
  });
}
