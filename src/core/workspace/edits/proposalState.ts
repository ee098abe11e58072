/** Where a proposed edit stands; its own file, since the webview's bundle shows it too. */
export const PROPOSAL_STATES = ['pending', 'accepted', 'rejected'] as const;
export type ProposalState = typeof PROPOSAL_STATES[number];
