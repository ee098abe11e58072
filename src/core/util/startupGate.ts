/**
 * VS Code asks Patchbay for things on its own right after activating it (its chat lists
 * language models, its agent mode lists MCP servers), and answering starts Patchbay's work:
 * the config, the plugins, the tool server, probing model servers. Done at once, that work
 * competes with the chat view's first paint when the user opened the chat, and with VS Code's
 * own start when its chat activated Patchbay. Such work waits at this gate, which opens when
 * the chat has painted (or the user asked for anything), or once the window is settled: a
 * grace period when no chat view is opening, a longest wait when one is but never paints.
 */
import type { Clock, TimerHandle } from '../ports';

export interface StartupGateOptions {
  clock: Clock;
  /** How long after activation the gate opens by itself when no chat view is opening. */
  graceMs: number;
  /** How long after activation it opens whatever happens. */
  maxWaitMs: number;
}

export class StartupGate {
  private readonly opened: Promise<void>;
  private open: () => void = () => undefined;
  private graceTimer: TimerHandle | undefined;
  private maxWaitTimer: TimerHandle | undefined;

  constructor(private readonly options: StartupGateOptions) {
    this.opened = new Promise<void>((resolve) => (this.open = resolve));
    this.graceTimer = options.clock.setTimeout(() => this.release(), options.graceMs);
    this.maxWaitTimer = options.clock.setTimeout(() => this.release(), options.maxWaitMs);
  }

  /** Settles when the deferred work may start. */
  whenOpen(): Promise<void> {
    return this.opened;
  }

  /** A chat view began to open: its first paint opens the gate, not the grace period. */
  viewOpening(): void {
    this.options.clock.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  /** The chat painted, or something the user is waiting for started the work: open now. */
  release(): void {
    this.dispose();
    this.open();
  }

  dispose(): void {
    this.options.clock.clearTimeout(this.graceTimer);
    this.options.clock.clearTimeout(this.maxWaitTimer);
    this.graceTimer = this.maxWaitTimer = undefined;
  }
}
