/** A tool call and the tools offered, as an answer records them and its card shows them. */
import type { ProposalState } from '../workspace/edits/proposalState';

export { PROPOSAL_STATES, type ProposalState } from '../workspace/edits/proposalState';

export const TOOL_CALL_STATUSES = ['checking', 'awaiting-approval', 'running', 'done', 'denied', 'failed', 'cancelled'] as const;
export type ToolCallStatus = typeof TOOL_CALL_STATUSES[number];

/** How tools are offered: the provider's own tool calling, or described in the prompt. */
export const TOOL_OFFER_MODES = ['native', 'prompt'] as const;
export type ToolOfferMode = typeof TOOL_OFFER_MODES[number];

/** One tool call of an answer, as shown on its card in the chat. */
export interface ToolCallView {
  id: string;
  /** The name the model used. */
  tool: string;
  /** `plugin.tool`, the name approval rules use. */
  qualifiedName?: string;
  plugin?: string;
  method?: string;
  url?: string;
  /** The arguments as pretty JSON (or the model's text when it is not JSON). */
  arguments: string;
  status: ToolCallStatus;
  /** Whether "Always allow this tool" may be offered (GET, HEAD and plugin code tools). */
  canAlwaysAllow?: boolean;
  /** What the tool returned (or why it failed), as shown to the user; cut for display. */
  result?: string;
  /** Why it was denied or failed, in a sentence. */
  note?: string;
  /** How far a running call got, as its tool reports it (MCP progress notifications). */
  progress?: { progress: number; total?: number; message?: string };
  /** Images of the result, as `data:image/…;base64,` URIs only: local data, never fetched. */
  images?: string[];
  /** A change to a workspace file the tool proposed, with the user's decision on it. */
  proposal?: ToolCallProposal;
}

/** A proposed edit as its tool call's card shows it (Accept and Reject while pending). */
export interface ToolCallProposal {
  id: string;
  /** The file, relative to its workspace folder. */
  path: string;
  change: 'edit' | 'create';
  /** e.g. `+3 −1 lines`. */
  summary: string;
  state: ProposalState;
  /** Why Accept did not apply it (the file changed since), in a sentence. */
  note?: string;
}

export interface ToolsOffered {
  /** The names offered to the model in this answer. */
  names: string[];
  /** How many tools were enabled in all. */
  total: number;
  /** How they were offered: the provider's own tool calling, or described in the prompt. */
  mode: ToolOfferMode;
}
