/**
 * What core code needs from its host. The VS Code adapter implements these in src/host;
 * tests implement them with plain objects.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Key-value secret storage (VS Code SecretStorage in the extension). */
export interface SecretPort {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A pending timer of a `Clock`; only the clock that set it can clear it. */
export type TimerHandle = object;

/**
 * Time, for code that waits on it (timeouts, retry waits, save intervals). The extension
 * uses `realClock`; unit tests use a manual clock they advance, so a test of a timeout
 * neither sleeps nor depends on how busy the machine is.
 */
export interface Clock {
  now(): number;
  /** Calls `run` once `ms` have passed, unless the timer is cleared first. */
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

class RealTimer {
  constructor(readonly timer: ReturnType<typeof setTimeout>) {}
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => new RealTimer(setTimeout(run, ms)),
  clearTimeout: (handle) => {
    if (handle instanceof RealTimer) clearTimeout(handle.timer);
  },
};
