/**
 * How a plugin's definitions become data that can cross to the host: plain values as they
 * are, each function as a numbered handle that stays in the worker.
 */
import type { ToolDefinition } from '../../api';
import { SCHEMA_TEXT, type CallShape, type ContributionKind, type FunctionHandle } from './workerMessages';

export type PluginFunction = (...args: unknown[]) => unknown;

/** A definition's data as it is, each of its functions (own or inherited) kept as a handle. */
export function describeDefinition(kind: ContributionKind, definition: object, keep: (fn: PluginFunction) => FunctionHandle): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {};
  const keys = new Set<string>();
  for (let level: object | null = definition; level && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const key of Object.getOwnPropertyNames(level)) if (key !== 'constructor') keys.add(key);
  }
  for (const key of keys) {
    const value = (definition as Record<string, unknown>)[key];
    if (typeof value === 'function') descriptor[key] = keep((value as PluginFunction).bind(definition));
    else if (value !== undefined) descriptor[key] = value;
  }
  if (kind === 'tool') {
    const callShape = shapeOf(definition as ToolDefinition);
    if (callShape) descriptor.callShape = callShape;
    sendSchemaAsText(descriptor);
  }
  return descriptor;
}

/**
 * A tool's schema crosses as JSON text, which the host copies in one piece and parses only
 * when the tool is offered: a spec's thousand schemas as objects cost the host's thread tens
 * of milliseconds to receive. A schema the host would refuse is sent as it is, so the host's
 * check fails the plugin with its usual message.
 */
function sendSchemaAsText(descriptor: Record<string, unknown>): void {
  const { parameters } = descriptor;
  if (typeof parameters !== 'object' || parameters === null || (parameters as { type?: unknown }).type !== 'object') return;
  try {
    descriptor[SCHEMA_TEXT] = JSON.stringify(parameters);
    delete descriptor.parameters;
  } catch {
    // Not JSON (a cycle, a BigInt): the host receives it as an object and judges it.
  }
}

/** What a tool's `describeCall` says for no arguments: the host's fallback, the URL template filled in per call. */
function shapeOf(tool: ToolDefinition): CallShape | undefined {
  try {
    const shape = tool.describeCall?.({});
    return shape && typeof shape.method === 'string' && typeof shape.url === 'string' ? { method: shape.method, url: shape.url } : undefined;
  } catch {
    return undefined;
  }
}

/** The items `run` reports through its callback, as an async iterable that ends when `run` settles. */
export async function* progressStream<T>(run: (report: (item: T) => void) => Promise<void>): AsyncGenerator<T> {
  let queue: T[] = [];
  let settled: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  run((item) => (queue.push(item), wake?.())).then(
    () => ((settled = {}), wake?.()),
    (error: unknown) => ((settled = { error }), wake?.()),
  );
  for (;;) {
    const ready = queue;
    queue = [];
    yield* ready;
    if (settled && queue.length === 0) {
      if ('error' in settled) throw settled.error;
      return;
    }
    if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
