/**
 * One conversation and the answer being streamed into it. It owns the turns, tells
 * listeners about every change (the host relays them to the webview) and asks for the
 * conversation to be saved at each step, so neither a failed answer nor a reload loses it.
 */
import type { GenerationOptions, ProviderInstance } from '../api';
import { isProgrammingError, PatchbayError, type Problem } from '../errors';
import type { FailureContext } from '../providers/classifyError';
import { Emitter } from '../util/emitter';
import type { AssistantTurn, ContextAttachment, Conversation, ModelRef, ToolCallView, ToolsOffered, Turn, UsageFigures, UserTurn } from './conversation';
import type { FilterChain } from './filterChain';
import { buildMessages } from './promptBuilder';
import { runAnswerRounds, type AnswerEvents, type ToolSession } from './answerRounds';
import { AnswerClock } from './answerClock';
import { fitToWindow } from './contextWindow';
import type { RateLimitPolicy } from './streamAnswer';

export interface ResolvedModel {
  modelId: string;
  /** The plugin whose code answers, so a bug in it can mark it failed. */
  pluginId?: string;
  provider: Pick<ProviderInstance, 'chat'>;
  failureContext: FailureContext;
  /** "model · provider" as shown to the user. */
  label: string;
}

export interface SessionSettings {
  generation: GenerationOptions;
  systemPrompt?: string;
  idleTimeoutMs: number;
}

export interface ChatSessionDeps {
  /** Throws a PatchbayError when there is no model or its provider is not available. */
  resolveModel(model: ModelRef | undefined): Promise<ResolvedModel>;
  settings(): SessionSettings;
  save(conversation: Conversation): void;
  newId(): string;
  now(): number;
  rateLimit?: RateLimitPolicy;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How often a streaming answer is saved, so a reload mid-answer keeps most of it. */
  saveIntervalMs?: number;
  /** The plugins' filters for one answer. */
  filters?(): FilterChain;
  /**
   * What the model is sent for what the user typed (a prompt template's expansion), and the
   * model the template asks for, if any.
   */
  expandPrompt?(text: string): Promise<{ prompt: string; model?: ModelRef } | undefined>;
  /** The provider's plugin code itself failed (not its server). */
  onPluginBug?(pluginId: string, error: unknown): void;
  /** The tools to offer in one answer, if any. */
  tools?(context: { modelId: string; model?: ModelRef; question: string }): ToolSession | undefined;
  /** The model's window and the room to keep for its answer, when known. */
  contextLimits?(model: ModelRef | undefined, modelId: string): { windowTokens: number; answerTokens: number } | undefined;
  /** Takes secrets out of what is shown and saved: a server may echo the key in its error. */
  redact?: { problem(problem: Problem): Problem; toolCall(view: ToolCallView): ToolCallView };
}

export type SessionEvent =
  | { type: 'reset'; conversation: Conversation }
  | { type: 'turnAdded'; turn: Turn }
  /** Streamed text to append (the host merges several of one frame into one). */
  | { type: 'turnDelta'; turnId: string; content?: string; reasoning?: string }
  /** Everything streamed as answer so far was reasoning (a `</think>` without `<think>`). */
  | { type: 'turnReclassified'; turnId: string }
  /** The turn's final (or changed) state: status, problem, usage. Replaces the whole turn. */
  | { type: 'turnUpdated'; turn: Turn }
  /** Turns taken out (Delete, Retry, Edit and Resend). */
  | { type: 'turnsRemoved'; turnIds: string[] }
  /** A tool call of an answer was added or changed (approval asked, running, result...). */
  | { type: 'toolCall'; turnId: string; call: ToolCallView }
  /** Which tools the answer offered the model. */
  | { type: 'toolsOffered'; turnId: string; offered: ToolsOffered }
  | { type: 'busy'; busy: boolean }
  /** A passing status line, e.g. "rate limited, retrying in 4 s"; absent text clears it. */
  | { type: 'status'; text?: string };

const TITLE_LENGTH = 60;

/** What the model is asked when the user presses Continue on an answer the token limit cut off. */
export const CONTINUE_PROMPT = 'Your previous answer was cut off by the token limit. Continue it from exactly where it stopped: do not repeat anything and do not add a preamble.';

export class ChatSession {
  private readonly emitter = new Emitter<SessionEvent>();
  readonly onEvent = this.emitter.event;
  private current: Conversation;
  private running: { controller: AbortController; done: Promise<void> } | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ChatSessionDeps) {
    this.current = this.emptyConversation();
  }

  get conversation(): Conversation {
    return this.current;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the answer has finished, failed or been stopped. */
  async send(text: string, model: ModelRef | undefined, attachments: ContextAttachment[] = []): Promise<void> {
    const trimmed = text.trim();
    if (trimmed === '' && attachments.length === 0) return;
    const expanded = await this.deps.expandPrompt?.(trimmed);
    // Checked after the await and followed only by synchronous steps until the answer
    // marks the session busy, so two quick sends cannot both start.
    if (this.busy) throw new PatchbayError('busy', 'An answer is still streaming: stop it first.');
    const userTurn: UserTurn = { id: this.deps.newId(), role: 'user', text: trimmed, attachments, createdAt: this.deps.now() };
    if (expanded && expanded.prompt !== trimmed) userTurn.prompt = expanded.prompt;
    if (this.current.turns.length === 0) this.current.title = titleFrom(trimmed, attachments);
    this.append(userTurn);
    await this.answer(expanded?.model ?? model);
  }

  /** Asks the last question again, replacing the answer after it; optionally with another model. */
  async retry(model?: ModelRef): Promise<void> {
    if (this.busy) return;
    const lastUser = this.current.turns.findLastIndex((turn) => turn.role === 'user');
    if (lastUser === -1) return;
    const previous = this.current.turns.slice(lastUser + 1).find((turn): turn is AssistantTurn => turn.role === 'assistant');
    const chosen = model ?? (previous?.model ? { providerId: previous.model.providerId, modelId: previous.model.modelId } : undefined);
    this.removeFrom(lastUser + 1);
    await this.answer(chosen);
  }

  /**
   * Goes on with the last answer where the token limit cut it off: the model gets the answer so
   * far and a request to continue it, and what it writes is joined to the same answer.
   */
  async continueAnswer(): Promise<void> {
    if (this.busy) return;
    const last = this.current.turns.at(-1);
    if (!last || last.role !== 'assistant' || last.problem?.kind !== 'token-limit') return;
    await this.answer(last.model ? { providerId: last.model.providerId, modelId: last.model.modelId } : undefined, last);
  }

  /** Replaces a question and everything after it with the edited question, and asks again. */
  async editAndResend(turnId: string, text: string, model: ModelRef | undefined): Promise<void> {
    if (this.busy) throw new PatchbayError('busy', 'An answer is still streaming: stop it first.');
    const index = this.current.turns.findIndex((turn) => turn.id === turnId && turn.role === 'user');
    const original = this.current.turns[index];
    if (!original || original.role !== 'user') return;
    this.removeFrom(index);
    await this.send(text, model, original.attachments);
  }

  /** Removes a question together with its answers, or a single answer. */
  deleteTurn(turnId: string): void {
    if (this.busy) throw new PatchbayError('busy', 'An answer is still streaming: stop it first.');
    const index = this.current.turns.findIndex((turn) => turn.id === turnId);
    const turn = this.current.turns[index];
    if (!turn) return;
    let end = index + 1;
    if (turn.role === 'user') while (this.current.turns[end]?.role === 'assistant') end++;
    const removed = this.current.turns.splice(index, end - index);
    this.fire({ type: 'turnsRemoved', turnIds: removed.map((item) => item.id) });
    this.saveNow();
  }

  stop(): void {
    this.running?.controller.abort(new Error('stopped by the user'));
  }

  /** Starts over; a streaming answer is stopped and kept in the old conversation. */
  async newChat(): Promise<void> {
    await this.open(this.emptyConversation());
  }

  /** Shows another conversation; a streaming answer is stopped and kept in its own. */
  async open(conversation: Conversation): Promise<void> {
    if (this.running) {
      this.stop();
      await this.running?.done;
    }
    this.saveNow();
    this.current = settleInterrupted(conversation);
    this.fire({ type: 'reset', conversation: this.current });
  }

  /** Renames the open conversation. */
  rename(title: string): void {
    const trimmed = title.replace(/\s+/g, ' ').trim();
    if (trimmed === '') return;
    this.current.title = trimmed.slice(0, 200);
    this.saveNow();
  }

  dispose(): void {
    this.stop();
    this.saveNow();
    this.emitter.dispose();
  }

  private async answer(model: ModelRef | undefined, continued?: AssistantTurn): Promise<void> {
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.running = { controller, done };
    this.fire({ type: 'busy', busy: true });
    const turn: AssistantTurn = continued ?? {
      id: this.deps.newId(),
      role: 'assistant',
      content: '',
      reasoning: '',
      status: 'streaming',
      ...(model ? { model: { ...model, label: model.modelId } } : {}),
      createdAt: this.deps.now(),
    };
    const history = this.current.turns.slice(0, continued ? -1 : undefined);
    const earlierUsage = continued?.usage;
    if (continued) {
      continued.status = 'streaming';
      delete continued.problem;
      delete continued.finishReason;
      this.fire({ type: 'turnUpdated', turn: continued });
    } else {
      this.append(turn);
    }
    try {
      const resolved = await this.deps.resolveModel(model);
      if (turn.model) turn.model.label = resolved.label;
      const settings = this.deps.settings();
      const filters = this.deps.filters?.();
      const question = history.findLast((item) => item.role === 'user');
      const tools = this.deps.tools?.({ modelId: resolved.modelId, ...(model ? { model } : {}), question: question?.role === 'user' ? question.prompt ?? question.text : '' });
      const limits = this.deps.contextLimits?.(model, resolved.modelId);
      const clock = new AnswerClock(this.deps.now);
      const outcome = await runAnswerRounds({
        turn,
        baseRequest: {
          model: resolved.modelId,
          messages: [
            ...buildMessages(history, settings.systemPrompt),
            ...(continued ? [{ role: 'assistant' as const, content: continued.content }, { role: 'user' as const, content: CONTINUE_PROMPT }] : []),
          ],
          options: settings.generation,
        },
        streamOptions: {
          provider: resolved.provider,
          failureContext: resolved.failureContext,
          idleTimeoutMs: settings.idleTimeoutMs,
          ...(this.deps.rateLimit ? { rateLimit: this.deps.rateLimit } : {}),
          ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
        },
        filters,
        tools,
        signal: controller.signal,
        events: this.answerEvents(turn, clock),
        ...(limits ? { fit: (messages, keepFrom, toolTokens) => fitToWindow(messages, keepFrom, { ...limits, toolTokens, modelName: resolved.modelId }) } : {}),
      });
      const stats = clock.stats(turn, outcome.usage?.outputTokens);
      if (stats) turn.stats = stats;
      if (outcome.status === 'complete' && filters) {
        const finished = await filters.outlet({ content: turn.content, reasoning: turn.reasoning, model: resolved.modelId }, controller.signal);
        turn.content = finished.content;
        turn.reasoning = finished.reasoning;
      }
      turn.status = outcome.status;
      if (outcome.problem) turn.problem = this.shownProblem(outcome.problem);
      if (outcome.problem?.kind === 'unknown' && resolved.pluginId && isProgrammingError(outcome.problem.cause)) {
        this.deps.onPluginBug?.(resolved.pluginId, outcome.problem.cause);
      }
      if (outcome.usage) turn.usage = earlierUsage ? withEarlierOutput(outcome.usage, earlierUsage) : outcome.usage;
      if (outcome.finishReason !== undefined) turn.finishReason = outcome.finishReason;
    } catch (error) {
      if (controller.signal.aborted) {
        turn.status = 'stopped';
        return;
      }
      const problem = error instanceof PatchbayError
        ? error
        : new PatchbayError('unknown', `Could not start the answer: ${String(error)}`, { actions: ['showLogs'] });
      turn.status = turn.content === '' ? 'failed' : 'incomplete';
      turn.problem = this.shownProblem(problem);
    } finally {
      turn.finishedAt = this.deps.now();
      this.running = undefined;
      this.fire({ type: 'turnUpdated', turn });
      this.fire({ type: 'busy', busy: false });
      this.saveNow();
      finished();
    }
  }

  /** How the streamed pieces of an answer change its turn, and who hears about it. */
  private answerEvents(turn: AssistantTurn, clock: AnswerClock): AnswerEvents {
    const changed = () => this.scheduleSave();
    return {
      contextNote: (note) => {
        turn.contextNote = note;
        this.fire({ type: 'turnUpdated', turn });
      },
      text: (text) => {
        clock.token();
        turn.content += text;
        this.fire({ type: 'turnDelta', turnId: turn.id, content: text });
        changed();
      },
      reasoning: (text) => {
        clock.token();
        turn.reasoning += text;
        this.fire({ type: 'turnDelta', turnId: turn.id, reasoning: text });
        changed();
      },
      refusal: (text) => {
        turn.refusal = (turn.refusal ?? '') + text;
        this.fire({ type: 'turnUpdated', turn });
        changed();
      },
      reclassified: () => {
        turn.reasoning += turn.content;
        turn.content = '';
        this.fire({ type: 'turnReclassified', turnId: turn.id });
        changed();
      },
      status: (text) => this.fire(text === undefined ? { type: 'status' } : { type: 'status', text }),
      toolCall: (unredacted) => {
        const view = this.deps.redact?.toolCall(unredacted) ?? unredacted;
        const calls = (turn.toolCalls ??= []);
        const index = calls.findIndex((call) => call.id === view.id);
        if (index === -1) calls.push({ ...view });
        else calls[index] = { ...view };
        this.fire({ type: 'toolCall', turnId: turn.id, call: { ...view } });
        this.saveNow();
      },
      toolsOffered: (offered) => {
        turn.toolsOffered = { ...offered, names: [...offered.names] };
        this.fire({ type: 'toolsOffered', turnId: turn.id, offered: turn.toolsOffered });
        changed();
      },
    };
  }

  private shownProblem(error: PatchbayError): Problem {
    const problem = error.toProblem();
    return this.deps.redact?.problem(problem) ?? problem;
  }

  private removeFrom(index: number): void {
    const removed = this.current.turns.splice(index);
    if (removed.length > 0) this.fire({ type: 'turnsRemoved', turnIds: removed.map((turn) => turn.id) });
  }

  private append(turn: Turn): void {
    this.current.turns.push(turn);
    this.current.updatedAt = this.deps.now();
    this.fire({ type: 'turnAdded', turn });
    this.saveNow();
  }

  private scheduleSave(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => this.saveNow(), this.deps.saveIntervalMs ?? 2000);
  }

  private saveNow(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.current.updatedAt = this.deps.now();
    this.deps.save(this.current);
  }

  private fire(event: SessionEvent): void {
    this.emitter.fire(event);
  }

  private emptyConversation(): Conversation {
    const now = this.deps.now();
    return { id: this.deps.newId(), title: 'New chat', turns: [], createdAt: now, updatedAt: now };
  }
}

/** An answer saved while streaming was cut off by a reload: it is incomplete, not streaming. */
function settleInterrupted(conversation: Conversation): Conversation {
  for (const turn of conversation.turns) {
    if (turn.role === 'assistant' && turn.status === 'streaming') {
      turn.status = turn.content === '' ? 'failed' : 'incomplete';
      turn.problem ??= {
        kind: 'interrupted',
        message: 'The window was reloaded while this answer was streaming.',
        hint: turn.content === '' ? 'Retry to ask again.' : 'The partial answer is kept. Retry to ask again.',
        actions: ['retry'],
      };
    }
  }
  return conversation;
}

/** A continued answer's usage: its output counts both parts; its input is the latest request's. */
function withEarlierOutput(latest: UsageFigures, earlier: UsageFigures): UsageFigures {
  if (latest.outputTokens === undefined || earlier.outputTokens === undefined) return latest;
  return { ...latest, outputTokens: latest.outputTokens + earlier.outputTokens };
}

function titleFrom(text: string, attachments: readonly ContextAttachment[]): string {
  const source = text !== '' ? text : attachments[0]?.label ?? 'New chat';
  const oneLine = source.replace(/\s+/g, ' ').trim();
  return oneLine.length > TITLE_LENGTH ? `${oneLine.slice(0, TITLE_LENGTH - 1)}…` : oneLine;
}
