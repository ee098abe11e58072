/**
 * The argument providers get: an AbortSignal that is also a CallContext (see `CallSignal` in
 * the API), so providers written for a bare signal and those taking `{ signal, log }` both work.
 */
import type { CallContext, CallSignal, PluginLogger } from '../api';

/**
 * A new signal that aborts with `source` (the source may be shared by other calls), carrying
 * `signal` and `log`, and during a chat answer `status` and `cite`.
 */
export function callSignal(source: AbortSignal, log: PluginLogger, emits?: Pick<CallContext, 'status' | 'cite'>): CallSignal {
  const signal = AbortSignal.any([source]);
  // Not enumerable: the signal keeps looking like a plain AbortSignal when logged or inspected.
  Object.defineProperties(signal, { signal: { value: signal }, log: { value: log } });
  if (emits?.status) Object.defineProperty(signal, 'status', { value: emits.status });
  if (emits?.cite) Object.defineProperty(signal, 'cite', { value: emits.cite });
  return signal as CallSignal;
}
