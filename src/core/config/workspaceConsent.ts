/**
 * The user's consent to something a workspace's config.yaml asks for beyond what it may do
 * on its own (loosen tool approval, change the settings of the user's plugins). It counts
 * only once the user accepted it for that workspace, in one prompt listing every such item
 * they have not decided on yet. Answers are remembered per workspace and per item key (the
 * key holds what is asked, so asking for more asks again). A prompt dismissed without an
 * answer declines for this window only. Without a way to ask, nothing is accepted.
 */

/** Where answers are kept (per workspace) and how the user is asked. */
export interface WorkspaceConsentPort<Item> {
  remembered(): Readonly<Record<string, boolean>>;
  remember(decisions: Readonly<Record<string, boolean>>): void;
  /** true: accept all listed; false: decline; undefined: dismissed without an answer. */
  ask(items: readonly Item[]): Promise<boolean | undefined>;
}

export class WorkspaceConsent<Item> {
  /** Items declined by dismissing the prompt, for this window only. */
  private readonly dismissed = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly port: () => WorkspaceConsentPort<Item> | undefined,
    /** What is remembered for an item: everything the prompt showed about it. */
    private readonly keyOf: (item: Item) => string,
    /** The order items are listed in. */
    private readonly order: (a: Item, b: Item) => number,
  ) {}

  /** The user's answer so far: false when there is no way to ask, undefined when not decided yet. */
  known(item: Item): boolean | undefined {
    const port = this.port();
    if (!port) return false;
    if (this.dismissed.has(this.keyOf(item))) return false;
    return port.remembered()[this.keyOf(item)];
  }

  /**
   * Whether the user accepted `item`; asks when they have not said, listing with it every
   * other item of `all` they have not decided on yet. One prompt at a time.
   */
  accepted(item: Item, all: () => readonly Item[]): Promise<boolean> {
    const next = this.queue.then(() => this.decide(item, all));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Forgets the answer about `item` (remembered or dismissed), so the next check asks again. */
  forget(item: Item): void {
    const key = this.keyOf(item);
    this.dismissed.delete(key);
    const port = this.port();
    if (!port || !(key in port.remembered())) return;
    const { [key]: _forgotten, ...rest } = port.remembered();
    port.remember(rest);
  }

  private async decide(item: Item, all: () => readonly Item[]): Promise<boolean> {
    const port = this.port();
    if (!port) return false;
    const known = this.known(item);
    if (known !== undefined) return known;
    const key = this.keyOf(item);
    const undecided = [item, ...all().filter((other) => this.keyOf(other) !== key && this.known(other) === undefined)].sort(this.order);
    const answer = await port.ask(undecided);
    if (answer === undefined) {
      for (const other of undecided) this.dismissed.add(this.keyOf(other));
      return false;
    }
    port.remember({ ...port.remembered(), ...Object.fromEntries(undecided.map((other) => [this.keyOf(other), answer])) });
    return answer;
  }
}
