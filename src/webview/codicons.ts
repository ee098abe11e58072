/**
 * The codicons the chat shows. The build keeps only these icons' rules of the codicon
 * stylesheet (see scripts/codiconSubset.mjs): the chat's stylesheet is written into its page,
 * and the full set's ~650 rules were half of it.
 */
export const CHAT_CODICONS = ['add', 'close', 'history', 'refresh', 'tools'] as const;
export type ChatCodicon = typeof CHAT_CODICONS[number];
