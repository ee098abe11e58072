/**
 * One answer, which may take several rounds: the model answers or calls tools; the calls
 * run (each approved, checked, capped); their results go back; the model goes on — until
 * it answers without calling a tool, the round limit is reached, or the user stops.
 * Everything streams into one assistant turn.
 */
import type { ChatMessage, ChatRequest, ToolCall } from '../api';
import { PatchbayError } from '../errors';
import type { AssistantTurn, ToolCallView, ToolsOffered, UsageFigures } from './conversation';
import type { ToolSession } from '../tools/toolSession';
import type { FilterChain } from './filterChain';
import { messagesWithToolsInPrompt } from '../tools/promptToolCalls';
import { estimateTokens, type WindowFit } from './contextWindow';
import { streamAnswer, type AnswerEvent, type AnswerOutcome, type StreamAnswerOptions } from './streamAnswer';

/** The tools of one answer, as the backend decided to offer them. */
export interface AnswerEvents {
  /** Earlier messages were left out (or a message shortened) to fit the model's window. */
  contextNote(note: string): void;
  text(text: string): void;
  reasoning(text: string): void;
  /** The model's refusal (kept apart from the answer). */
  refusal(text: string): void;
  reclassified(): void;
  status(text: string | undefined): void;
  toolCall(view: ToolCallView): void;
  toolsOffered(offered: ToolsOffered): void;
}

export interface AnswerRoundsOptions {
  turn: AssistantTurn;
  baseRequest: ChatRequest;
  streamOptions: Pick<StreamAnswerOptions, 'provider' | 'failureContext' | 'idleTimeoutMs' | 'rateLimit' | 'clock' | 'emits'>;
  filters: FilterChain | undefined;
  tools: ToolSession | undefined;
  signal: AbortSignal;
  events: AnswerEvents;
  /** Fits each round's messages to the model's window; `keepFrom` is where the current question starts. */
  fit?(messages: readonly ChatMessage[], keepFrom: number, toolTokens: number): WindowFit;
}

export async function runAnswerRounds(options: AnswerRoundsOptions): Promise<AnswerOutcome> {
  const { turn, tools, signal, events, filters } = options;
  let messages = options.baseRequest.messages;
  const keepFrom = Math.max(0, messages.length - 1);
  let usage: UsageFigures | undefined;
  let noted: string | undefined;
  if (tools) events.toolsOffered(tools.offered);
  for (let round = 0; ; round++) {
    const promptMode = tools?.mode === 'prompt';
    let sent: readonly ChatMessage[] = messages;
    if (options.fit) {
      const toolTokens = tools ? estimateTokens(JSON.stringify(tools.specs)) + (promptMode ? 200 : 0) : 0;
      let fit: WindowFit;
      try {
        fit = options.fit(messages, keepFrom, toolTokens);
      } catch (error) {
        if (error instanceof PatchbayError) return { status: round === 0 ? 'failed' : 'incomplete', problem: error, ...(usage ? { usage } : {}) };
        throw error;
      }
      sent = fit.messages;
      if (fit.note && fit.note !== noted) {
        noted = fit.note;
        events.contextNote(fit.note);
      }
    }
    const request: ChatRequest = {
      ...options.baseRequest,
      messages: tools && promptMode ? messagesWithToolsInPrompt(sent, tools.specs) : [...sent],
      ...(tools && !promptMode ? { tools: tools.specs } : {}),
    };
    const calls: ToolCall[] = [];
    let roundText = '';
    const outcome = await streamAnswer({
      ...options.streamOptions,
      request: filters ? await filters.inlet(request, signal) : request,
      ...(filters ? { filterPieces: (emit: (event: AnswerEvent) => void) => filters.pieces(emit, signal) } : {}),
      ...(tools ? { extractToolCalls: { idPrefix: `call_${round + 1}_` } } : {}),
      signal,
      onEvent: (event) => {
        switch (event.type) {
          case 'text': {
            // A later round's text starts a new paragraph after the earlier rounds' text.
            // (A continued answer's first round carries on mid-sentence: no break there.)
            const text = round > 0 && roundText === '' && turn.content !== '' && !turn.content.endsWith('\n\n') ? `\n\n${event.text}` : event.text;
            roundText += event.text;
            events.text(text);
            break;
          }
          case 'reasoning':
            events.reasoning(event.text);
            break;
          case 'refusal':
            events.refusal(event.text);
            break;
          case 'reclassify':
            events.reclassified();
            break;
          case 'status':
            events.status(event.text);
            break;
          case 'toolCall':
            calls.push(event.call);
            break;
        }
      },
    });
    usage = addUsage(usage, outcome.usage);
    if (tools && !promptMode && round === 0 && outcome.status === 'failed' && outcome.problem && tools.fallbackToPrompt(outcome.problem)) {
      events.toolsOffered(tools.offered);
      round--;
      continue;
    }
    const result: AnswerOutcome = { ...outcome, ...(usage ? { usage } : {}) };
    if (!tools || outcome.status !== 'complete' || calls.length === 0) return result;
    if (round + 1 >= tools.maxRounds) {
      return {
        ...result,
        status: 'incomplete',
        problem: new PatchbayError('bad-request', `The model was still calling tools after ${tools.maxRounds} rounds, so Patchbay stopped it.`, {
          hint: 'Ask more specifically, or raise toolCalling.maxRounds in config.yaml.',
          actions: ['retry', 'openConfig'],
        }),
      };
    }
    messages = [...messages, { role: 'assistant', content: roundText, toolCalls: calls }];
    for (const call of calls) {
      const content = await tools.run(call, signal, events.toolCall);
      messages.push({ role: 'tool', content, toolCallId: call.id, name: call.name });
      if (signal.aborted) return { status: 'stopped', ...(usage ? { usage } : {}) };
    }
  }
}

function addUsage(total: UsageFigures | undefined, more: UsageFigures | undefined): UsageFigures | undefined {
  if (!more) return total;
  if (!total) return { ...more };
  const sum: UsageFigures = {};
  const input = (total.inputTokens ?? 0) + (more.inputTokens ?? 0);
  const output = (total.outputTokens ?? 0) + (more.outputTokens ?? 0);
  if (total.inputTokens !== undefined || more.inputTokens !== undefined) sum.inputTokens = input;
  if (total.outputTokens !== undefined || more.outputTokens !== undefined) sum.outputTokens = output;
  return sum;
}
