import { describeError } from '../errors';
import type { Logger } from '../ports';

/** `fetch` that writes each request's method, URL and status to the debug log (never headers). */
export function loggedFetch(log: Logger): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    try {
      const response = await fetch(input, init);
      log.debug(`${method} ${url} -> ${response.status}`);
      return response;
    } catch (error) {
      log.debug(`${method} ${url} -> ${describeError(error)}`);
      throw error;
    }
  };
}
