/**
 * A tool of an isolated plugin cannot answer `describeCall` synchronously, as the API asks: its
 * code is in the worker. Its stand-in carries this symbol's function, which describes a call
 * there given the arguments; the tool runner awaits it (tools/callDescription.ts).
 */
import type { CallShape } from './workerMessages';

export const describesCallInWorker = Symbol('patchbay.describesCallInWorker');

export interface DescribedInWorker {
  [describesCallInWorker](args: Record<string, unknown>): Promise<unknown>;
}

export function isCallShape(value: unknown): value is CallShape {
  return typeof value === 'object' && value !== null && typeof (value as CallShape).method === 'string' && typeof (value as CallShape).url === 'string';
}
