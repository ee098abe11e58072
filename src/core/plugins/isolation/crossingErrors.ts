/** Errors cross the worker boundary as plain data; a PatchbayError keeps its kind, hint and buttons. */
import { PatchbayError } from '../../errors';
import type { CrossingError } from './workerMessages';

export function toCrossingError(error: unknown): CrossingError {
  if (error instanceof PatchbayError) {
    const details: CrossingError['details'] = { actions: [...error.actions] };
    if (error.hint !== undefined) details.hint = error.hint;
    if (error.status !== undefined) details.status = error.status;
    if (error.url !== undefined) details.url = error.url;
    if (error.retryAfterMs !== undefined) details.retryAfterMs = error.retryAfterMs;
    return { name: error.name, message: error.message, kind: error.kind, details };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** A bug in the plugin's own code (errors.ts tells by these classes) stays one across the boundary. */
const BUILT_IN_ERRORS: Record<string, new (message: string) => Error> = { TypeError, ReferenceError, RangeError, SyntaxError };

export function fromCrossingError(crossing: CrossingError): Error {
  if (crossing.kind !== undefined) return new PatchbayError(crossing.kind, crossing.message, crossing.details ?? {});
  const error = new (BUILT_IN_ERRORS[crossing.name] ?? Error)(crossing.message);
  error.name = crossing.name;
  return error;
}
