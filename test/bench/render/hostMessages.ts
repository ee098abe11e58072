/**
 * The host's messages for the benchmarks, typed by the real protocol so a change there breaks
 * this file at compile time rather than the benchmark silently measuring something else.
 */
import type { AssistantTurn, ConversationPage, HostToWebview, ModelsState, UserTurn } from '../../../src/protocol/messages';

export const MODELS: ModelsState = {
  groups: [{ providerId: 'ollama', label: 'Ollama', models: [{ id: 'qwen2.5-coder:7b', label: 'qwen2.5-coder:7b' }] }],
  selected: { providerId: 'ollama', modelId: 'qwen2.5-coder:7b' },
  loading: false,
};

const MODEL = { providerId: 'ollama', modelId: 'qwen2.5-coder:7b', label: 'qwen2.5-coder:7b' };
const CREATED_AT = Date.UTC(2025, 0, 1);

export function userTurn(id: string, text: string): UserTurn {
  return { id, role: 'user', text, attachments: [], createdAt: CREATED_AT };
}

export function assistantTurn(id: string, content: string, status: AssistantTurn['status']): AssistantTurn {
  const turn: AssistantTurn = { id, role: 'assistant', content, reasoning: '', status, model: MODEL, createdAt: CREATED_AT };
  if (status !== 'streaming') {
    // What a finished answer carries, so its footer (usage, speed) is built as it really is.
    turn.finishedAt = CREATED_AT + 30_000;
    turn.usage = { inputTokens: 1200, outputTokens: Math.round(content.length / 4) };
    turn.finishReason = 'stop';
    turn.stats = { firstTokenMs: 240, tokensPerSecond: 90 };
  }
  return turn;
}

export function initMessage(page: ConversationPage): HostToWebview {
  return { type: 'init', page, models: MODELS, busy: false, pluginUi: { actions: [], slashCommands: [] }, context: [] };
}

export function resetMessage(page: ConversationPage): HostToWebview {
  return { type: 'conversationReset', page };
}

/** The messages of one streamed answer: the empty turn, one delta per chunk, the finished turn. */
export function streamedAnswer(turnId: string, chunks: readonly string[]): HostToWebview[] {
  return [
    { type: 'turnAdded', turn: assistantTurn(turnId, '', 'streaming') },
    ...chunks.map((content): HostToWebview => ({ type: 'turnDelta', turnId, content })),
    { type: 'turnUpdated', turn: assistantTurn(turnId, chunks.join(''), 'complete') },
  ];
}

/** The same answer arriving finished: the renderer's path for a complete answer. */
export function finishedAnswer(turnId: string, content: string): HostToWebview[] {
  return [{ type: 'turnAdded', turn: assistantTurn(turnId, content, 'complete') }];
}
