/**
 * Every call into plugin code after activation (a filter, an action, a command, a tool) goes
 * through here: it gets a signal that aborts on Stop, on timeout or when the plugin
 * unloads, and the caller stops waiting at the timeout even if the plugin ignores its
 * signal, so a hanging plugin can never hang the chat.
 *
 * `PluginCaller` is the one way to make such a call, and holds the one rule for when a call
 * marks its plugin failed: a call that hangs past its timeout does (the plugin's code is
 * stuck); an error it throws is the call's own, handed to the caller, who shows it. Where
 * the README documents otherwise the caller says so with `failsPluginOn`: filters fail their
 * plugin on a throw too ('hang-or-throw'), and a tool that is an HTTP API call rather than
 * plugin code is only slow, never broken ('never').
 */
import type { CallContext, PluginLogger } from '../api';
import { realClock, type Clock } from '../ports';

/**
 * Filters and prompt templates sit on the path of every answer or send, so they get less
 * time than actions and commands (the rules' own timeout, 30 s in the extension).
 */
export const ANSWER_PATH_TIMEOUT_MS = 10_000;

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
  /** What the timeout waits on; the real clock unless a test gives its own. */
  clock?: Clock;
}

export function callPlugin<T>(call: PluginCall, run: (context: CallContext) => T | Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abortWith = (reason: unknown) => controller.abort(reason);
  const clock = call.clock ?? realClock;
  const sources = [call.signal, call.pluginSignal].filter((signal): signal is AbortSignal => signal !== undefined);
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clock.clearTimeout(timer);
      for (const source of sources) source.removeEventListener('abort', onSourceAbort);
    };
    const onSourceAbort = () => {
      const reason = sources.find((source) => source.aborted)?.reason ?? new Error('aborted');
      abortWith(reason);
      cleanup();
      reject(reason instanceof Error ? reason : Object.assign(new Error(String(reason)), { name: 'AbortError' }));
    };
    const timer = clock.setTimeout(() => {
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

/** Which outcomes of a call mark its plugin failed; see the file comment. */
export type FailsPluginOn = 'hang' | 'hang-or-throw' | 'never';

export interface PluginCallRules {
  loggerFor(pluginId: string): PluginLogger;
  /** Aborted when the plugin unloads. */
  signalOf(pluginId: string): AbortSignal | undefined;
  /** Marks the plugin failed (the plugin runtime unloads it and shows the error); absent, nothing is marked. */
  fail?(pluginId: string, error: unknown): void;
  timeoutMs: number;
  /** What call timeouts wait on; the real clock unless a test gives its own. */
  clock?: Clock;
}

export interface CallOptions {
  /** The user's Stop, if the call belongs to an answer. */
  signal?: AbortSignal;
  /** Instead of the rules' own timeout. */
  timeoutMs?: number;
  failsPluginOn?: FailsPluginOn;
}

export class PluginCaller {
  constructor(private readonly rules: PluginCallRules) {}

  async call<T>(pluginId: string, what: string, run: (context: CallContext) => T | Promise<T>, options: CallOptions = {}): Promise<T> {
    const pluginSignal = this.rules.signalOf(pluginId);
    const call: PluginCall = {
      pluginId,
      what,
      timeoutMs: options.timeoutMs ?? this.rules.timeoutMs,
      log: this.rules.loggerFor(pluginId),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(pluginSignal ? { pluginSignal } : {}),
      ...(this.rules.clock ? { clock: this.rules.clock } : {}),
    };
    try {
      return await callPlugin(call, run);
    } catch (error) {
      const failsOn = options.failsPluginOn ?? 'hang';
      const marks = failsOn === 'hang-or-throw' ? options.signal?.aborted !== true : failsOn === 'hang' && error instanceof PluginCallTimeout;
      if (marks) this.fail(pluginId, error);
      throw error;
    }
  }

  fail(pluginId: string, error: unknown): void {
    this.rules.fail?.(pluginId, error);
  }
}
