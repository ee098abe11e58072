/**
 * The user's consent to a workspace's config.yaml loosening tool approval. Such a loosening
 * counts only after the user accepted it for that workspace, in one prompt that lists every
 * tool it would affect and how. Answers are remembered per workspace and per loosening (a
 * tool, what the user's rules say, what the workspace's say), so a new tool, or a rule that
 * frees more, is asked about again (see workspaceConsent.ts).
 */
import { WorkspaceConsent, type WorkspaceConsentPort } from '../config/workspaceConsent';
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
export type WorkspaceLooseningPort = WorkspaceConsentPort<LooseningItem>;

/** Every loosening the workspace's rules would make among the given tools, by name (`readOnlyOwn`: a read-only tool of the user's own plugins, which the user's rules already allow). */
export function looseningItems(toolNames: readonly string[], user: ToolApprovalRules, workspace: WorkspaceApprovalRules, readOnlyOwn: (tool: string) => boolean = () => false): LooseningItem[] {
  const items: LooseningItem[] = [];
  for (const tool of [...new Set(toolNames)].sort()) {
    const userVerdict = approvalVerdict(tool, undefined, user, new Set(), readOnlyOwn(tool));
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

export class WorkspaceLoosening extends WorkspaceConsent<LooseningItem> {
  constructor(port: () => WorkspaceLooseningPort | undefined) {
    super(port, keyOf, (a, b) => a.tool.localeCompare(b.tool));
  }
}

function keyOf(item: LooseningItem): string {
  return `${item.tool} ${item.user}->${item.workspace}`;
}
