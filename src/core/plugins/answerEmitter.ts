/**
 * What plugins say during one answer besides its text (Open WebUI's event emitter): a status
 * line under the answer while they work, and the sources they used. Each plugin's call gets
 * `status` and `cite` bound to it; what it emits is checked, cut to size and rate-limited
 * here, so neither a chatty plugin nor a hostile one can flood the chat or the history.
 */
import type { CallContext, Citation } from '../api';
import type { Clock } from '../ports';

/** Characters of a status line shown. */
export const STATUS_LIMIT = 200;
/** Sources one answer keeps. */
export const CITATION_LIMIT = 50;
/** Emits one plugin may make in a second of one answer; the rest are dropped. */
export const EMITS_PER_SECOND = 20;
const TITLE_LIMIT = 200;
const URL_LIMIT = 2_048;
const SNIPPET_LIMIT = 500;
const WEB_URL = /^https?:\/\/[^\s]+$/i;

/** The two CallContext functions a call into plugin code gets during an answer. */
export type PluginEmits = Required<Pick<CallContext, 'status' | 'cite'>>;

/** Hands each plugin's call its own `status` and `cite`. */
export interface EmitsForPlugins {
  for(pluginId: string): PluginEmits;
}

export interface AnswerEmitterTarget {
  /** The status line under the answer; undefined clears it. */
  status(text: string | undefined): void;
  /** A source was added (already checked and cut). */
  cite(citation: Citation): void;
  /** Why something a plugin emitted was dropped, for the log. */
  warn(pluginId: string, message: string): void;
}

export class AnswerEmitter implements EmitsForPlugins {
  private statusOwner: string | undefined;
  private readonly citations = new Set<string>();
  private citationCount = 0;
  private readonly recent = new Map<string, number[]>();
  private readonly warned = new Set<string>();
  private ended = false;

  constructor(
    private readonly target: AnswerEmitterTarget,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  for(pluginId: string): PluginEmits {
    return {
      status: (text, options) => this.status(pluginId, text, options?.done === true),
      cite: (citation) => this.cite(pluginId, citation),
    };
  }

  /** The answer ended: its status line goes, and later emits are ignored. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.statusOwner !== undefined) this.target.status(undefined);
    this.statusOwner = undefined;
  }

  private status(pluginId: string, text: unknown, done: boolean): void {
    if (this.ended) return;
    if (done) {
      // A plugin clears only its own line, never another's.
      if (this.statusOwner !== pluginId) return;
      this.statusOwner = undefined;
      return this.target.status(undefined);
    }
    if (typeof text !== 'string') return this.warnOnce(pluginId, 'status-type', `status() takes text, not ${typeof text}; ignored`);
    if (!this.allowed(pluginId)) return;
    const line = oneLine(text, STATUS_LIMIT);
    if (line === '') return;
    this.statusOwner = pluginId;
    this.target.status(line);
  }

  private cite(pluginId: string, citation: unknown): void {
    if (this.ended) return;
    const raw = citation as Partial<Record<keyof Citation, unknown>> | null;
    if (typeof raw !== 'object' || raw === null || typeof raw.title !== 'string' || raw.title.trim() === '') {
      return this.warnOnce(pluginId, 'cite-type', 'cite() takes { title, url?, snippet? } with a title; ignored');
    }
    if (!this.allowed(pluginId)) return;
    if (this.citationCount >= CITATION_LIMIT) return this.warnOnce(pluginId, 'cite-limit', `an answer keeps at most ${CITATION_LIMIT} sources; the rest are dropped`);
    const checked: Citation = { title: oneLine(raw.title, TITLE_LIMIT) };
    if (raw.url !== undefined) {
      const url = typeof raw.url === 'string' ? raw.url.trim() : '';
      if (url.length <= URL_LIMIT && WEB_URL.test(url)) checked.url = url;
      else this.warnOnce(pluginId, 'cite-url', 'a source link must be an http: or https: URL of at most 2,048 characters; shown without it');
    }
    if (typeof raw.snippet === 'string' && raw.snippet.trim() !== '') checked.snippet = cut(raw.snippet.trim(), SNIPPET_LIMIT);
    const key = `${checked.url ?? ''}\n${checked.title}`;
    if (this.citations.has(key)) return;
    this.citations.add(key);
    this.citationCount++;
    this.target.cite(checked);
  }

  /** At most EMITS_PER_SECOND emits of one plugin in any second. */
  private allowed(pluginId: string): boolean {
    const now = this.clock.now();
    const times = (this.recent.get(pluginId) ?? []).filter((at) => now - at < 1_000);
    this.recent.set(pluginId, times);
    if (times.length >= EMITS_PER_SECOND) {
      this.warnOnce(pluginId, 'rate', `emitted more than ${EMITS_PER_SECOND} status lines or sources a second; the rest are dropped`);
      return false;
    }
    times.push(now);
    return true;
  }

  private warnOnce(pluginId: string, kind: string, message: string): void {
    const key = `${pluginId}\n${kind}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.target.warn(pluginId, message);
  }
}

function oneLine(text: string, limit: number): string {
  return cut(text.replace(/\s+/g, ' ').trim(), limit);
}

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
