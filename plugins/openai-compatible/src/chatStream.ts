/**
 * OpenAI chat-completion chunks -> Patchbay stream events. Tolerates what real servers do:
 * `choices: []` chunks, usage on the last chunk or under `x_groq`, reasoning as
 * `reasoning_content` or `reasoning`, extra fields, an error after a 200 (as a chunk, as an
 * `event: error`, or as the whole body), several choices (only `index: 0` is the answer), and
 * a server that ignored `stream: true` and sent one `chat.completion` object.
 */
import type { ChatStreamEvent, PluginContext, SseJsonItem } from '../../../src/core/api';
import { ToolCallAssembler } from './toolCallAssembler';

interface ChunkDelta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: unknown;
}

interface Choice {
  index?: number;
  delta?: ChunkDelta;
  /** A non-streamed completion has the whole message instead of a delta. */
  message?: ChunkDelta;
  finish_reason?: string | null;
}

interface Chunk {
  choices?: Choice[];
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
  const toolCalls = new ToolCallAssembler((length) =>
    context.problem('bad-request', `The model wrote tool-call arguments longer than ${Math.round(length / 1024)} KB, so Patchbay stopped reading them.`, {
      hint: 'Ask for a smaller result, or retry.',
      actions: ['retry'],
    }),
  );
  for await (const item of items) {
    if (item.kind === 'done') {
      sawDone = true;
      break;
    }
    if (item.kind === 'error') throw serverError(context, label, item.message);
    const chunk = item.value as Chunk;
    if (typeof chunk !== 'object' || chunk === null) continue;
    if (chunk.error !== undefined) {
      const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message ?? JSON.stringify(chunk.error);
      throw serverError(context, label, message);
    }
    const choice = answerChoice(chunk.choices);
    const delta = choice?.delta ?? choice?.message;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') yield { type: 'reasoning', text: reasoning };
    if (typeof delta?.content === 'string' && delta.content !== '') yield { type: 'text', text: delta.content };
    if (typeof delta?.refusal === 'string' && delta.refusal !== '') yield { type: 'refusal', text: delta.refusal };
    if (delta?.tool_calls !== undefined && delta.tool_calls !== null) toolCalls.add(delta.tool_calls);
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
      hint: 'Retry to ask again.',
      actions: ['retry', 'showLogs'],
    });
  }
  for (const call of toolCalls.finish()) yield { type: 'toolCall', call };
  yield { type: 'finish', reason: finishReason ?? 'stop' };
}

/** The first choice (`index: 0`); others (`n > 1`) are not shown. A choice without an index counts as 0. */
function answerChoice(choices: Choice[] | undefined): Choice | undefined {
  if (!Array.isArray(choices)) return undefined;
  return choices.find((choice) => typeof choice === 'object' && choice !== null && (choice.index ?? 0) === 0);
}

function serverError(context: PluginContext, label: string, message: string): Error {
  return context.problem('server', `${label} reported an error while answering: ${message}`, {
    hint: 'Retry, or check the server log.',
    actions: ['retry', 'showLogs'],
  });
}
