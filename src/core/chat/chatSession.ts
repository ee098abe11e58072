/**
 * One conversation and the answer being streamed into it. It owns the turns, tells
 * listeners about every change (the host relays them to the webview) and asks for the
 * conversation to be saved at each step, so neither a failed answer nor a reload loses it.
 */
import { PatchbayError, type Problem } from '../errors';
import type { TimerHandle } from '../ports';
import { Emitter } from '../util/emitter';
import type { ChatImage } from '../api';
import type * as AnswerRun from './answerRun';
import type { AnswerHost } from './answerRun';
import { checkImageCount, imagesRefused, type ImageFile } from './chatImages';
import type { AssistantTurn, ContextAttachment, Conversation, ImageRef, ModelRef, Turn, UserTurn } from './conversation';
import type { ToolCallProposal } from '../tools/toolCallView';
import type { ChatSessionDeps, SessionEvent } from './sessionTypes';

export type { ChatSessionDeps, SessionEvent, SessionSettings } from './sessionTypes';

const TITLE_LENGTH = 60;

/** Running an answer is a late module (esbuild.mjs): loaded with the first answer, not while VS Code activates Patchbay. */
const answerRun = () => require('./answerRun') as typeof AnswerRun;

export class ChatSession {
  private readonly emitter = new Emitter<SessionEvent>();
  readonly onEvent = this.emitter.event;
  private current: Conversation;
  private running: { controller: AbortController; done: Promise<void> } | undefined;
  private saveTimer: TimerHandle | undefined;
  /** The images asked about in the open conversation during this session (base64), by hash. */
  private imageData = new Map<string, string>();

  constructor(private readonly deps: ChatSessionDeps) {
    this.current = this.emptyConversation();
  }

  get conversation(): Conversation {
    return this.current;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Resolves when the answer has finished, failed or been stopped. Throws, before anything is
   * added or sent, when the question cannot be asked: busy, too many images, or images for a
   * model known not to read them.
   */
  async send(text: string, model: ModelRef | undefined, attachments: ContextAttachment[] = [], images: readonly ImageFile[] = []): Promise<void> {
    const refs = images.map(({ data: _data, ...ref }): ImageRef => ref);
    for (const image of images) this.imageData.set(image.sha256, image.data);
    const asked = await this.ask(text, model, attachments, refs);
    if (!asked) return;
    // The question is in the conversation now: its images are kept beside it.
    for (const image of images) void this.deps.images?.save(this.current.id, image);
    await asked.answered;
  }

  /** Adds the question and starts its answer (wrapped: an async function would wait for it); undefined when there was nothing to ask. */
  private async ask(text: string, model: ModelRef | undefined, attachments: ContextAttachment[], images: readonly ImageRef[]): Promise<{ answered: Promise<void> } | undefined> {
    const trimmed = text.trim();
    if (trimmed === '' && attachments.length === 0 && images.length === 0) return undefined;
    checkImageCount(images.length);
    if (images.length > 0) this.refuseImagesFor(model);
    const expanded = await this.deps.expandPrompt?.(trimmed);
    // Checked after the await and followed only by synchronous steps until the answer
    // marks the session busy, so two quick sends cannot both start.
    if (this.busy) throw new PatchbayError('busy', 'An answer is still streaming: stop it first.');
    const chosen = expanded?.model ?? model;
    if (images.length > 0) this.refuseImagesFor(chosen);
    const userTurn: UserTurn = { id: this.deps.newId(), role: 'user', text: trimmed, attachments, createdAt: this.deps.clock.now() };
    if (images.length > 0) userTurn.images = [...images];
    if (expanded && expanded.prompt !== trimmed) userTurn.prompt = expanded.prompt;
    if (this.current.turns.length === 0) this.current.title = titleFrom(trimmed, attachments, images);
    this.append(userTurn);
    return { answered: this.answer(chosen) };
  }

  private refuseImagesFor(model: ModelRef | undefined): void {
    if (model && this.deps.acceptsImages?.(model) === false) throw imagesRefused(model.modelId);
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
    // Refused before the question and what followed are taken out: nothing is lost.
    if (original.images?.length) this.refuseImagesFor(model);
    this.removeFrom(index);
    // Its images are the conversation's already (kept beside it, or in memory).
    await (await this.ask(text, model, original.attachments, original.images ?? []))?.answered;
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

  /** A plugin action changed an answer's text: shown and saved like the answer itself. */
  changeAnswerText(turnId: string, content: string): void {
    const turn = this.current.turns.find((item) => item.id === turnId);
    if (!turn || turn.role !== 'assistant') throw new PatchbayError('plugin', 'That answer is not in the conversation any more.');
    if (turn.status === 'streaming') throw new PatchbayError('busy', 'That answer is still streaming: wait for it to finish, then run the action again.');
    turn.content = content;
    this.fire({ type: 'turnUpdated', turn });
    this.saveNow();
  }

  /**
   * A proposed edit on a tool call's card was decided (or Accept refused): the card shows it
   * and the conversation keeps it, finished answers too.
   */
  updateProposal(proposal: ToolCallProposal): void {
    let changed = false;
    for (const turn of this.current.turns) {
      if (turn.role !== 'assistant') continue;
      for (const call of turn.toolCalls ?? []) {
        if (call.proposal?.id !== proposal.id) continue;
        call.proposal = { ...proposal };
        changed = true;
        this.fire({ type: 'toolCall', turnId: turn.id, call });
      }
    }
    if (changed) this.saveNow();
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
    this.imageData = new Map();
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

  /** Sets which tools are off for the open conversation (from the next answer on). */
  setToolsOff(keys: readonly string[]): void {
    if (keys.length > 0) this.current.toolsOff = [...keys];
    else delete this.current.toolsOff;
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
      createdAt: this.deps.clock.now(),
    };
    const history = this.current.turns.slice(0, continued ? -1 : undefined);
    if (continued) {
      continued.status = 'streaming';
      delete continued.problem;
      delete continued.finishReason;
      this.fire({ type: 'turnUpdated', turn: continued });
    } else {
      this.append(turn);
    }
    try {
      await answerRun().streamInto(turn, { model, history, ...(continued ? { continued } : {}), signal: controller.signal }, this.answerHost());
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
      turn.finishedAt = this.deps.clock.now();
      this.running = undefined;
      this.fire({ type: 'turnUpdated', turn });
      this.fire({ type: 'busy', busy: false });
      this.saveNow();
      finished();
    }
  }

  /** What the answer being streamed may do to the session. */
  private answerHost(): AnswerHost {
    return {
      deps: this.deps,
      fire: (event) => this.fire(event),
      saveNow: () => this.saveNow(),
      scheduleSave: () => this.scheduleSave(),
      shownProblem: (error) => this.shownProblem(error),
      loadImages: (images) => this.loadImages(images),
    };
  }

  /** An image's bytes (base64), from memory or where the open conversation keeps them. */
  async imageDataOf(image: ImageRef): Promise<string | undefined> {
    return this.imageData.get(image.sha256) ?? (await this.deps.images?.load(this.current.id, image));
  }

  /** The images' bytes by hash, from memory or where the conversation keeps them; one that cannot be read is missing. */
  private async loadImages(images: readonly ImageRef[]): Promise<Map<string, ChatImage>> {
    const loaded = new Map<string, ChatImage>();
    await Promise.all(images.map(async (image) => {
      const data = await this.imageDataOf(image);
      if (data !== undefined) loaded.set(image.sha256, { mimeType: image.mimeType, data });
    }));
    return loaded;
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
    this.current.updatedAt = this.deps.clock.now();
    this.fire({ type: 'turnAdded', turn });
    this.saveNow();
  }

  private scheduleSave(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = this.deps.clock.setTimeout(() => this.saveNow(), this.deps.saveIntervalMs ?? 2000);
  }

  private saveNow(): void {
    this.deps.clock.clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.current.updatedAt = this.deps.clock.now();
    this.deps.save(this.current);
  }

  private fire(event: SessionEvent): void {
    this.emitter.fire(event);
  }

  private emptyConversation(): Conversation {
    const now = this.deps.clock.now();
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

function titleFrom(text: string, attachments: readonly ContextAttachment[], images: readonly ImageRef[]): string {
  const source = text !== '' ? text : attachments[0]?.label ?? images[0]?.name ?? 'New chat';
  const oneLine = source.replace(/\s+/g, ' ').trim();
  return oneLine.length > TITLE_LENGTH ? `${oneLine.slice(0, TITLE_LENGTH - 1)}…` : oneLine;
}
