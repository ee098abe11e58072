/**
 * The user's consent to a workspace's config.yaml loosening tool approval. Such a loosening
 * counts only after the user accepted it for that workspace, in one prompt that lists every
 * tool it would affect and how. Answers are remembered per workspace and per loosening (a
 * tool, what the user's rules say, what the workspace's say), so a new tool, or a rule that
 * frees more, is asked about again. A prompt dismissed without an answer declines for this
 * window only.
 */
import { approvalVerdict, loosens, workspaceVerdict, type ToolApprovalRules, type Verdict, type WorkspaceApprovalRules } from './toolPolicy';

export interface LooseningItem {
  /** Qualified name: `plugin.tool`. */
  tool: string;
  /** What the user's own rules say. */
  user: 'ask' | 'deny';
  /** What the workspace's config.yaml would make of it. */
  workspace: 'allow' | 'ask';
}

/** Where answers are kept (per workspace) and how the user is asked. */
export interface WorkspaceLooseningPort {
  remembered(): Readonly<Record<string, boolean>>;
  remember(decisions: Readonly<Record<string, boolean>>): void;
  /** true: accept all listed; false: decline; undefined: dismissed without an answer. */
  ask(items: readonly LooseningItem[]): Promise<boolean | undefined>;
}

/** Every loosening the workspace's rules would make among the given tools, by name. */
export function looseningItems(toolNames: readonly string[], user: ToolApprovalRules, workspace: WorkspaceApprovalRules): LooseningItem[] {
  const items: LooseningItem[] = [];
  for (const tool of [...new Set(toolNames)].sort()) {
    const userVerdict = approvalVerdict(tool, undefined, user, new Set());
    const fromWorkspace = workspaceVerdict(tool, workspace);
    if (!loosens(userVerdict, fromWorkspace, tool, user)) continue;
    const item = looseningItem(tool, userVerdict, fromWorkspace);
    if (item) items.push(item);
  }
  return items;
}

/** The loosening from `user` to a looser `workspace` verdict, as the prompt lists it. */
export function looseningItem(tool: string, user: Verdict, workspace: Verdict): LooseningItem | undefined {
  if (user.decision === 'allow' || workspace.decision === 'deny' || user.decision === workspace.decision) return undefined;
  return { tool, user: user.decision, workspace: workspace.decision };
}

export class WorkspaceLoosening {
  /** Loosenings declined by dismissing the prompt, for this window only. */
  private readonly dismissed = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly port: () => WorkspaceLooseningPort | undefined) {}

  /**
   * Whether the user accepted `item`; asks when they have not said, listing with it every
   * other loosening they have not decided on yet. One prompt at a time.
   */
  accepted(item: LooseningItem, all: () => readonly LooseningItem[]): Promise<boolean> {
    const next = this.queue.then(() => this.decide(item, all));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async decide(item: LooseningItem, all: () => readonly LooseningItem[]): Promise<boolean> {
    const port = this.port();
    // No way to ask: the loosening does not count.
    if (!port) return false;
    const known = this.known(port, item);
    if (known !== undefined) return known;
    const undecided = [item, ...all().filter((other) => keyOf(other) !== keyOf(item) && this.known(port, other) === undefined)].sort((a, b) =>
      a.tool.localeCompare(b.tool),
    );
    const answer = await port.ask(undecided);
    if (answer === undefined) {
      for (const other of undecided) this.dismissed.add(keyOf(other));
      return false;
    }
    port.remember({ ...port.remembered(), ...Object.fromEntries(undecided.map((other) => [keyOf(other), answer])) });
    return answer;
  }

  private known(port: WorkspaceLooseningPort, item: LooseningItem): boolean | undefined {
    if (this.dismissed.has(keyOf(item))) return false;
    return port.remembered()[keyOf(item)];
  }
}

function keyOf(item: LooseningItem): string {
  return `${item.tool} ${item.user}->${item.workspace}`;
}
