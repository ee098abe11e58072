/**
 * Saved conversations: one JSON file per conversation plus a small index of summaries, in a
 * folder of the workspace's storage. Every write goes to a temporary file that is then
 * renamed over the old one, so a crash mid-write leaves the previous version whole. A file
 * that cannot be read — not JSON, or JSON of the wrong shape — is set aside (renamed, with a
 * warning) instead of breaking the list; a broken or missing index is rebuilt from the files.
 */
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImageFile } from '../chat/chatImages';
import type { Conversation, ConversationSummary } from '../chat/conversation';
import type { Logger } from '../ports';
import { ConversationImages } from './conversationImages';
import { INDEX_FILE, isConversationId, parseConversation, parseIndex, summarize, type IndexFile } from './historyFolderFormat';
import { writeAtomically } from './writeAtomically';

// Importable from here as before the split.
export { summarize, writeAtomically };

export class ConversationStore {
  /** The conversations' images, in files beside them. */
  readonly images: ConversationImages;
  private summaries: Map<string, ConversationSummary> | undefined;
  private ready: Promise<void> | undefined;
  /** Writes per file, one at a time; only the newest pending content is written. */
  private readonly writers = new Map<string, { running: Promise<void>; next: string | undefined }>();
  /** Saves and deletes under way, from their first step (opening the folder) on, so a flush sees them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly folder: string,
    private readonly log: Logger,
    /** Takes known secrets out of a conversation before it is written (and indexed). */
    private readonly redact: (conversation: Conversation) => Conversation = (conversation) => conversation,
  ) {
    this.images = new ConversationImages(folder, log);
  }

  /** Summaries, newest first. */
  async list(): Promise<ConversationSummary[]> {
    await this.open();
    return [...this.summaries!.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async load(id: string): Promise<Conversation | undefined> {
    if (!isConversationId(id)) return undefined;
    await this.open();
    const file = this.fileOf(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      if (this.summaries!.delete(id)) await this.writeIndex();
      return undefined;
    }
    const conversation = parseConversation(text);
    if (!conversation || conversation.id !== id) {
      await this.setAside(file, 'it is not a readable conversation');
      if (this.summaries!.delete(id)) await this.writeIndex();
      return undefined;
    }
    return conversation;
  }

  /** Saves a conversation (an empty one is not worth a file) and its summary. */
  save(unredacted: Conversation): Promise<void> {
    return this.track(this.saveNow(unredacted));
  }

  private async saveNow(unredacted: Conversation): Promise<void> {
    if (!isConversationId(unredacted.id) || unredacted.turns.length === 0) return;
    const conversation = this.redact(unredacted);
    await this.open();
    this.summaries!.set(conversation.id, summarize(conversation));
    await Promise.all([this.write(this.fileOf(conversation.id), JSON.stringify(conversation)), this.writeIndex()]);
  }

  /** Keeps an image of the conversation beside it (a flush waits for it). */
  saveImage(id: string, image: ImageFile): Promise<void> {
    return this.track(this.images.save(id, image));
  }

  async rename(id: string, title: string): Promise<Conversation | undefined> {
    const conversation = await this.load(id);
    if (!conversation) return undefined;
    conversation.title = title.trim() || conversation.title;
    await this.save(conversation);
    return conversation;
  }

  delete(id: string): Promise<void> {
    return this.track(this.deleteNow(id));
  }

  private async deleteNow(id: string): Promise<void> {
    if (!isConversationId(id)) return;
    await this.open();
    await this.writers.get(this.fileOf(id))?.running;
    await rm(this.fileOf(id), { force: true });
    await this.images.deleteAll(id);
    this.summaries!.delete(id);
    await this.writeIndex();
  }

  /** Conversations whose title or text contains every word of the query, newest first. */
  async search(query: string): Promise<ConversationSummary[]> {
    const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
    const all = await this.list();
    if (words.length === 0) return all;
    const found: ConversationSummary[] = [];
    for (const summary of all) {
      const title = `${summary.title} ${summary.preview}`.toLowerCase();
      if (words.every((word) => title.includes(word))) {
        found.push(summary);
        continue;
      }
      const conversation = await this.load(summary.id);
      const text = conversation ? searchableText(conversation) : '';
      if (words.every((word) => text.includes(word))) found.push(summary);
    }
    return found;
  }

  /**
   * Waits for every save and delete under way and every pending write (for shutdown and
   * tests). With `withinMs`, waits no longer than that: a disk that hangs must not hold up
   * closing the window. Resolves with whether everything was written.
   */
  async flush(withinMs?: number): Promise<boolean> {
    const settled = this.settle().then(() => true);
    if (withinMs === undefined) return settled;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
      timer.unref?.();
    });
    return Promise.race([settled, late]).finally(() => clearTimeout(timer));
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0 || this.writers.size > 0) {
      await Promise.allSettled([...this.inFlight, ...[...this.writers.values()].map((writer) => writer.running)]);
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.inFlight.add(work);
    const forget = () => void this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private open(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.folder, { recursive: true });
      const names = await readdir(this.folder);
      // Leftovers of writes a crash interrupted: the renamed-over files are intact.
      await Promise.all(names.filter((name) => name.endsWith('.tmp')).map((name) => rm(path.join(this.folder, name), { force: true })));
      this.summaries = (await this.readIndex()) ?? (await this.rebuildIndex(names));
    })().catch((error: unknown) => {
      // A history that cannot be opened must not take the chat down with it: start empty,
      // and try the folder again next time.
      this.ready = undefined;
      this.summaries ??= new Map();
      this.log.error(`could not read the conversation history in ${this.folder}: ${(error as Error).message}`);
    });
    return this.ready;
  }

  private async readIndex(): Promise<Map<string, ConversationSummary> | undefined> {
    const file = path.join(this.folder, INDEX_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const index = parseIndex(text);
    if (!index) {
      await this.setAside(file, 'the history index is not readable; rebuilding it from the conversations');
      return undefined;
    }
    return new Map(index.conversations.map((summary) => [summary.id, summary]));
  }

  private async rebuildIndex(names: string[]): Promise<Map<string, ConversationSummary>> {
    const summaries = new Map<string, ConversationSummary>();
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (name === INDEX_FILE || !name.endsWith('.json') || !isConversationId(id)) continue;
      const file = path.join(this.folder, name);
      const conversation = parseConversation(await readFile(file, 'utf8').catch(() => ''));
      if (conversation && conversation.id === id) summaries.set(id, summarize(conversation));
      else await this.setAside(file, 'it is not a readable conversation');
    }
    this.summaries = summaries;
    if (summaries.size > 0) await this.writeIndex();
    return summaries;
  }

  private writeIndex(): Promise<void> {
    const index: IndexFile = { version: 1, conversations: [...this.summaries!.values()] };
    return this.write(path.join(this.folder, INDEX_FILE), JSON.stringify(index));
  }

  private write(file: string, content: string): Promise<void> {
    const writer = this.writers.get(file);
    if (writer) {
      // The running loop writes this too before it ends: the newest content always lands.
      writer.next = content;
      return writer.running;
    }
    const state: { running: Promise<void>; next: string | undefined } = { running: Promise.resolve(), next: content };
    this.writers.set(file, state);
    state.running = (async () => {
      while (state.next !== undefined) {
        const text = state.next;
        state.next = undefined;
        await writeAtomically(file, text).catch((error: unknown) => this.log.error(`could not save ${file}: ${(error as Error).message}`));
      }
      this.writers.delete(file);
    })();
    return state.running;
  }

  private async setAside(file: string, why: string): Promise<void> {
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    this.log.warn(`${path.basename(file)} was set aside as ${path.basename(aside)}: ${why}`);
  }

  private fileOf(id: string): string {
    return path.join(this.folder, `${id}.json`);
  }
}

function searchableText(conversation: Conversation): string {
  return conversation.turns.map((turn) => (turn.role === 'user' ? turn.text : turn.content)).join('\n').toLowerCase();
}
