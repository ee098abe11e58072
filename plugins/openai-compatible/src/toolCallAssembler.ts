/**
 * Streamed `delta.tool_calls` pieces -> whole tool calls. Servers differ: pieces are told
 * apart by `index` (which may start at 1), arguments arrive split over many chunks or whole
 * in one, continuation pieces may carry `id: ""` or `name: ""`, and some servers (Ollama's
 * /v1) omit `index` and send each call whole, so a new `id` then starts a new call.
 * Arguments are capped: a model stuck in a loop must not fill memory.
 */
import type { ToolCall } from '../../../src/core/api';

/** The longest arguments of one call that are read (the core checks the same limit). */
export const MAX_ARGUMENT_CHARS = 1024 * 1024;

interface ToolCallPiece {
  index?: unknown;
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

interface Partial {
  id: string;
  name: string;
  arguments: string;
}

export class ToolCallAssembler {
  private readonly calls = new Map<string, Partial>();
  private current: string | undefined;
  private unindexed = 0;

  constructor(private readonly tooLong: (length: number) => Error) {}

  add(pieces: unknown): void {
    if (!Array.isArray(pieces)) return;
    for (const raw of pieces as ToolCallPiece[]) {
      if (typeof raw !== 'object' || raw === null) continue;
      const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
      const name = typeof raw.function?.name === 'string' && raw.function.name !== '' ? raw.function.name : undefined;
      const args = raw.function?.arguments;
      const key = this.keyFor(raw.index, id);
      let call = this.calls.get(key);
      if (!call) {
        call = { id: '', name: '', arguments: '' };
        this.calls.set(key, call);
      }
      this.current = key;
      if (id && call.id === '') call.id = id;
      if (name && call.name === '') call.name = name;
      if (typeof args === 'string') call.arguments += args;
      else if (args !== undefined && args !== null) call.arguments += JSON.stringify(args);
      if (call.arguments.length > MAX_ARGUMENT_CHARS) throw this.tooLong(MAX_ARGUMENT_CHARS);
    }
  }

  /** The calls in the order they started; calls without an id get one. */
  finish(): ToolCall[] {
    return [...this.calls.values()].map((call, position) => ({
      id: call.id || `call_${position + 1}`,
      name: call.name,
      arguments: call.arguments,
    }));
  }

  private keyFor(index: unknown, id: string | undefined): string {
    if (typeof index === 'number') return `index:${index}`;
    const current = this.current === undefined ? undefined : this.calls.get(this.current);
    if (current && (id === undefined || current.id === '' || current.id === id)) return this.current!;
    return `whole:${++this.unindexed}`;
  }
}
