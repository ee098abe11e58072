/**
 * A stream filter that runs outside the extension host's thread (an isolated plugin's)
 * cannot answer synchronously as `FilterDefinition.stream` does: it takes the pieces in
 * batches instead, and the filter chain applies the results in order.
 */
import type { CallContext, FilterDefinition } from '../../api';

export const streamsInBatches = Symbol('patchbay.streamsInBatches');

export interface BatchedStreamFilter {
  /** For each of `pieces`, in order, the pieces the filter's `stream` made of it (not yet checked). */
  [streamsInBatches](pieces: readonly unknown[], context: CallContext): Promise<unknown[][]>;
}

export function batchedStreamOf(definition: FilterDefinition): BatchedStreamFilter[typeof streamsInBatches] | undefined {
  const batched = (definition as FilterDefinition & Partial<BatchedStreamFilter>)[streamsInBatches];
  return typeof batched === 'function' ? batched.bind(definition) : undefined;
}
