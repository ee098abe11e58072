/**
 * OpenAI chat-completion chunks -> Patchbay stream events. Tolerates what real servers do:
 * `choices: []` chunks, usage on the last chunk or under `x_groq`, reasoning as
 * `reasoning_content` or `reasoning`, extra fields, an error event after a 200.
 */
import type { ChatStreamEvent, PluginContext, SseJsonItem } from '../../../src/core/api';
import { ToolCallAssembler } from './toolCallAssembler';

interface ChunkDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: unknown;
}

interface Chunk {
  choices?: { delta?: ChunkDelta; finish_reason?: string | null }[];
  usage?: UsageBlock | null;
  x_groq?: { usage?: UsageBlock };
  error?: { message?: string } | string;
}

interface UsageBlock {
  prompt_tokens?: number;
  completion_tokens?: number;
}

export async function* decodeChatStream(items: AsyncIterable<SseJsonItem>, context: PluginContext, label: string): AsyncGenerator<ChatStreamEvent> {
  let sawDone = false;
  let finishReason: string | undefined;
  const toolCalls = new ToolCallAssembler();
  for await (const item of items) {
    if (item.kind === 'done') {
      sawDone = true;
      break;
    }
    const chunk = item.value as Chunk;
    if (typeof chunk !== 'object' || chunk === null) continue;
    if (chunk.error !== undefined) {
      const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message ?? JSON.stringify(chunk.error);
      throw context.problem('server', `${label} reported an error while answering: ${message}`, {
        hint: 'The partial answer is kept. Retry, or check the server log.',
        actions: ['retry', 'showLogs'],
      });
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') yield { type: 'reasoning', text: reasoning };
    if (typeof delta?.content === 'string' && delta.content !== '') yield { type: 'text', text: delta.content };
    if (delta?.tool_calls !== undefined) toolCalls.add(delta.tool_calls);
    if (typeof choice?.finish_reason === 'string') finishReason = choice.finish_reason;
    const usage = chunk.usage ?? chunk.x_groq?.usage;
    if (usage && (usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined)) {
      yield {
        type: 'usage',
        ...(usage.prompt_tokens !== undefined ? { inputTokens: usage.prompt_tokens } : {}),
        ...(usage.completion_tokens !== undefined ? { outputTokens: usage.completion_tokens } : {}),
      };
    }
  }
  if (!sawDone && finishReason === undefined) {
    throw context.problem('interrupted', `The stream from ${label} ended before the server said the answer was finished.`, {
      hint: 'The partial answer is kept. Retry to ask again.',
      actions: ['retry', 'showLogs'],
    });
  }
  for (const call of toolCalls.finish()) yield { type: 'toolCall', call };
  yield { type: 'finish', reason: finishReason ?? 'stop' };
}
