/**
 * Waits that the user's Stop ends at once. A provider plugin may ignore the abort signal it is
 * given, so an answer never waits on the plugin alone: every wait also listens to the signal
 * (and, for the next stream event, to the idle timeout) and settles on whichever comes first.
 */
import { realClock, type Clock } from '../ports';

/** A stream's next step, or why we stopped waiting for it: `idle` (timeout) or `stopped` (Stop). */
export type Step<T> = IteratorResult<T> | 'idle' | 'stopped';

/** The iterator's next value, or why we stopped waiting for it. */
export function nextWithin<T>(iterator: AsyncIterator<T>, idleMs: number, signal: AbortSignal, clock: Clock = realClock): Promise<Step<T>> {
  return new Promise<Step<T>>((resolve, reject) => {
    const timer = clock.setTimeout(() => finish(() => resolve('idle')), idleMs);
    const onAbort = () => finish(() => resolve('stopped'));
    let settled = false;
    function finish(action: () => void): void {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      action();
    }
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => finish(() => resolve(result)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Sleeps `ms`, rejecting with the signal's reason as soon as it aborts (also when it already has). */
export function abortableSleep(ms: number, signal: AbortSignal, clock: Clock = realClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clock.clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
