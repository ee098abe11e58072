/**
 * One answer's run: resolve the model, stream the rounds (with filters, tools and the
 * context window), and write what arrives into the answer's turn. The session owns the turn's
 * start and end (busy, stop, save); this is the middle.
 */
import type { ChatImage } from '../api';
import { isProgrammingError, type PatchbayError, type Problem } from '../errors';
import { imagesRefused } from './chatImages';
import type { ModelRef } from '../providers/modelRef';
import { AnswerClock } from './answerClock';
import { AnswerEmitter } from '../plugins/answerEmitter';
import { runAnswerRounds, type AnswerEvents } from './answerRounds';
import { fitToWindow } from './contextWindow';
import type { AnswerSource, AssistantTurn, ImageRef, Turn, UsageFigures } from './conversation';
import { buildMessages } from './promptBuilder';
import { withDefaults } from '../providers/modelAliases';
import type { StreamRedaction } from '../util/redactor';
import type { ChatSessionDeps, SessionEvent } from './sessionTypes';

/** What the model is asked when the user presses Continue on an answer the token limit cut off. */
export const CONTINUE_PROMPT = 'Your previous answer was cut off by the token limit. Continue it from exactly where it stopped: do not repeat anything and do not add a preamble.';

/** What an answer's run may do to its session. */
export interface AnswerHost {
  deps: ChatSessionDeps;
  fire(event: SessionEvent): void;
  saveNow(): void;
  scheduleSave(): void;
  shownProblem(error: PatchbayError): Problem;
  /** The images' bytes by hash (one that cannot be read is missing). */
  loadImages(images: readonly ImageRef[]): Promise<Map<string, ChatImage>>;
}

export interface AnswerRequest {
  model: ModelRef | undefined;
  /** The turns before the answer. */
  history: readonly Turn[];
  /** The cut-off answer that Continue goes on with. */
  continued?: AssistantTurn;
  signal: AbortSignal;
}

/** Streams an answer into `turn`; throws when it cannot start (or was stopped). */
export async function streamInto(turn: AssistantTurn, request: AnswerRequest, host: AnswerHost): Promise<void> {
  const emitter = answerEmitter(turn, host);
  try {
    await streamWithEmitter(turn, request, host, emitter);
  } finally {
    // However the answer ended, a plugin's status line goes with it.
    emitter.end();
  }
}

async function streamWithEmitter(turn: AssistantTurn, request: AnswerRequest, host: AnswerHost, emitter: AnswerEmitter): Promise<void> {
  const { model, history, continued, signal } = request;
  const earlierUsage = continued?.usage;
  const resolved = await host.deps.resolveModel(model);
  if (turn.model) turn.model.label = resolved.label;
  const images = await imagesFor(history, model, resolved.modelId, host);
  const settings = host.deps.settings();
  const filters = host.deps.filters?.(emitter);
  const question = history.findLast((item) => item.role === 'user');
  const limits = host.deps.contextLimits?.(model, resolved.modelId);
  // Tools may take at most half of what the window leaves after the answer's room: the rest is the conversation's.
  const maxToolTokens = limits ? Math.max(0, Math.floor((limits.windowTokens - limits.answerTokens) / 2)) : undefined;
  const tools = host.deps.tools?.({ modelId: resolved.modelId, ...(model ? { model } : {}), question: question?.role === 'user' ? question.prompt ?? question.text : '', emits: emitter, ...(maxToolTokens !== undefined ? { maxToolTokens } : {}) });
  const clock = new AnswerClock(() => host.deps.clock.now());
  const redaction = streamRedactions(host);
  const outcome = await runAnswerRounds({
    turn,
    baseRequest: {
      model: resolved.modelId,
      messages: [
        ...buildMessages(history, settings.systemPrompt?.trim() ? settings.systemPrompt : resolved.defaults?.systemPrompt, images),
        ...(continued ? [{ role: 'assistant' as const, content: continued.content }, { role: 'user' as const, content: CONTINUE_PROMPT }] : []),
      ],
      options: withDefaults(settings.generation, resolved.defaults?.generation),
    },
    streamOptions: {
      provider: resolved.provider,
      failureContext: resolved.failureContext,
      idleTimeoutMs: settings.idleTimeoutMs,
      ...(host.deps.rateLimit ? { rateLimit: host.deps.rateLimit } : {}),
      clock: host.deps.clock,
      emits: emitter,
    },
    filters,
    tools,
    signal: signal,
    events: answerEvents(turn, clock, host, redaction),
    ...(limits ? { fit: (messages, keepFrom, toolTokens) => fitToWindow(messages, keepFrom, { ...limits, toolTokens, modelName: resolved.modelId }) } : {}),
  });
  redaction.flushInto(turn, host);
  const stats = clock.stats(turn, outcome.usage?.outputTokens);
  if (stats) turn.stats = stats;
  if (outcome.status === 'complete' && filters) {
    const finished = await filters.outlet({ content: turn.content, reasoning: turn.reasoning, model: resolved.modelId }, signal);
    turn.content = finished.content;
    turn.reasoning = finished.reasoning;
  }
  turn.status = outcome.status;
  if (outcome.problem) turn.problem = host.shownProblem(outcome.problem);
  if (outcome.problem?.kind === 'unknown' && resolved.pluginId && isProgrammingError(outcome.problem.cause)) {
    host.deps.onPluginBug?.(resolved.pluginId, outcome.problem.cause);
  }
  if (outcome.usage) turn.usage = earlierUsage ? withEarlierOutput(outcome.usage, earlierUsage) : outcome.usage;
  if (outcome.finishReason !== undefined) turn.finishReason = outcome.finishReason;
}

/**
 * The bytes of the images the conversation's questions carry. For a model known not to read
 * images, the last question's images refuse the answer (Retry with such a model) and earlier
 * questions' are left out, so a conversation can go on with a model without vision.
 */
async function imagesFor(history: readonly Turn[], model: ModelRef | undefined, modelId: string, host: AnswerHost): Promise<ReadonlyMap<string, ChatImage> | 'not-read'> {
  const refs = history.flatMap((item) => (item.role === 'user' ? item.images ?? [] : []));
  if (refs.length === 0) return new Map();
  if (model && host.deps.acceptsImages?.(model) === false) {
    const question = history.findLast((item) => item.role === 'user');
    if (question?.role === 'user' && question.images?.length) throw imagesRefused(modelId);
    return 'not-read';
  }
  return host.loadImages(refs);
}

/** Where the plugins' status lines and sources of one answer go: the chat, and the turn (saved). */
function answerEmitter(turn: AssistantTurn, host: AnswerHost): AnswerEmitter {
  const redact = (text: string) => host.deps.redact?.text?.(text) ?? text;
  return new AnswerEmitter({
    status: (text) => host.fire(text === undefined ? { type: 'answerStatus', turnId: turn.id } : { type: 'answerStatus', turnId: turn.id, text: redact(text) }),
    cite: (citation) => {
      const source: AnswerSource = { title: redact(citation.title) };
      if (citation.url !== undefined) source.url = redact(citation.url);
      if (citation.snippet !== undefined) source.snippet = redact(citation.snippet);
      turn.citations = [...(turn.citations ?? []), source];
      host.fire({ type: 'citations', turnId: turn.id, citations: turn.citations });
      host.scheduleSave();
    },
    warn: (pluginId, message) => host.deps.warnPlugin?.(pluginId, message),
  }, host.deps.clock);
}

/** How the streamed pieces of an answer change its turn, and who hears about it. */
function answerEvents(turn: AssistantTurn, clock: AnswerClock, host: AnswerHost, redaction: AnswerRedaction): AnswerEvents {
  const changed = () => host.scheduleSave();
  return {
    contextNote: (note) => {
      turn.contextNote = note;
      host.fire({ type: 'turnUpdated', turn });
    },
    text: (unredacted) => {
      clock.token();
      const text = redaction.content.push(unredacted);
      if (text === '') return;
      turn.content += text;
      host.fire({ type: 'turnDelta', turnId: turn.id, content: text });
      changed();
    },
    reasoning: (unredacted) => {
      clock.token();
      const text = redaction.reasoning.push(unredacted);
      if (text === '') return;
      turn.reasoning += text;
      host.fire({ type: 'turnDelta', turnId: turn.id, reasoning: text });
      changed();
    },
    refusal: (text) => {
      turn.refusal = (turn.refusal ?? '') + text;
      host.fire({ type: 'turnUpdated', turn });
      changed();
    },
    reclassified: () => {
      turn.reasoning += turn.content;
      turn.content = '';
      host.fire({ type: 'turnReclassified', turnId: turn.id });
      changed();
    },
    status: (text) => host.fire(text === undefined ? { type: 'status' } : { type: 'status', text }),
    toolCall: (unredacted) => {
      const view = host.deps.redact?.toolCall(unredacted) ?? unredacted;
      const calls = (turn.toolCalls ??= []);
      const index = calls.findIndex((call) => call.id === view.id);
      if (index === -1) calls.push({ ...view });
      else calls[index] = { ...view };
      host.fire({ type: 'toolCall', turnId: turn.id, call: { ...view } });
      host.saveNow();
    },
    toolsOffered: (offered) => {
      turn.toolsOffered = { ...offered, names: [...offered.names] };
      host.fire({ type: 'toolsOffered', turnId: turn.id, offered: turn.toolsOffered });
      changed();
    },
  };
}

interface AnswerRedaction {
  content: StreamRedaction;
  reasoning: StreamRedaction;
  /** What was held back at the end of the stream (a secret's possible start), into the turn. */
  flushInto(turn: AssistantTurn, host: AnswerHost): void;
}

const NO_REDACTION: StreamRedaction = { push: (text) => text, flush: () => '' };

function streamRedactions(host: AnswerHost): AnswerRedaction {
  const content = host.deps.redact?.stream?.() ?? NO_REDACTION;
  const reasoning = host.deps.redact?.stream?.() ?? NO_REDACTION;
  return {
    content,
    reasoning,
    flushInto: (turn) => {
      const [restOfContent, restOfReasoning] = [content.flush(), reasoning.flush()];
      if (restOfContent === '' && restOfReasoning === '') return;
      turn.content += restOfContent;
      turn.reasoning += restOfReasoning;
      host.fire({ type: 'turnDelta', turnId: turn.id, ...(restOfContent ? { content: restOfContent } : {}), ...(restOfReasoning ? { reasoning: restOfReasoning } : {}) });
      host.scheduleSave();
    },
  };
}

/** A continued answer's usage: its output counts both parts; its input is the latest request's. */
function withEarlierOutput(latest: UsageFigures, earlier: UsageFigures): UsageFigures {
  if (latest.outputTokens === undefined || earlier.outputTokens === undefined) return latest;
  return { ...latest, outputTokens: latest.outputTokens + earlier.outputTokens };
}
