/** The user's answer on a tool call's approval card: allow this call, allow the tool from now on, or refuse. */
export const TOOL_DECISIONS = ['once', 'always', 'deny'] as const;
export type ToolDecision = typeof TOOL_DECISIONS[number];
