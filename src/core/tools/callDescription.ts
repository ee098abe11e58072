/**
 * What a tool says a call will do, as an HTTP request, for the approval card and the approval
 * policy (a GET may be always allowed, a POST is asked about every time). An isolated
 * plugin's tool describes the call in its worker, with the call's arguments; its synchronous
 * `describeCall` (the worker's answer for no arguments, the URL template filled in) is the
 * fallback when the worker is slow or fails.
 */
import type { ToolDefinition } from '../api';
import { describesCallInWorker, isCallShape, type DescribedInWorker } from '../plugins/isolation/describedInWorker';
import type { CallShape } from '../plugins/isolation/workerMessages';

/** How long the approval card waits for a worker to describe a call before using the fallback. */
const DESCRIBE_WITHIN_MS = 2_000;

/** What the tool says a call with these arguments will do, as an HTTP request; undefined when it does not say. */
export async function describeToolCall(definition: ToolDefinition, args: Record<string, unknown>): Promise<CallShape | undefined> {
  const inWorker = (definition as ToolDefinition & Partial<DescribedInWorker>)[describesCallInWorker];
  if (typeof inWorker === 'function') {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), DESCRIBE_WITHIN_MS)));
    const described = await Promise.race([inWorker.call(definition, args).catch(() => undefined), late]);
    clearTimeout(timer);
    if (isCallShape(described)) return { method: described.method, url: described.url };
  }
  return describeToolCallNow(definition, args);
}

/** What the tool's own synchronous `describeCall` says (for an isolated plugin's tool, the fallback). */
export function describeToolCallNow(definition: ToolDefinition, args: Record<string, unknown>): CallShape | undefined {
  try {
    const described = definition.describeCall?.(args);
    return isCallShape(described) ? described : undefined;
  } catch {
    return undefined;
  }
}
