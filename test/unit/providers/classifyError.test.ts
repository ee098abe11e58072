import assert from 'node:assert/strict';
import { PatchbayError } from '../../../src/core/errors';
import { classifyError } from '../../../src/core/providers/classifyError';
import { retryAfterMs } from '../../../src/core/providers/retryAfter';

const context = {
  endpointLabel: 'LM Studio',
  baseUrl: 'http://127.0.0.1:1234/v1',
  model: 'qwen3-8b',
  startHint: 'Start LM Studio\'s server.',
  missingModelHint: 'Load "{model}" first.',
};

function httpError(status: number, message: string, headers?: Record<string, string>) {
  return Object.assign(new Error(message), { status, headers: headers ? new Headers(headers) : undefined });
}

describe('classifyError', () => {
  it('names the URL and how to start the server when the connection is refused', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1234'), { code: 'ECONNREFUSED' }) });
    const problem = classifyError(error, context);
    assert.equal(problem.kind, 'connection');
    assert.equal(problem.message, 'Could not connect to LM Studio at http://127.0.0.1:1234/v1 (connection refused).');
    assert.equal(problem.hint, "Start LM Studio's server.");
    assert.ok(problem.actions.includes('retry'));
  });

  it('finds the socket code inside an AggregateError', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:1234'), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: Object.assign(new AggregateError([inner]), { code: undefined }) });
    assert.equal(classifyError(error, context).kind, 'connection');
  });

  for (const status of [401, 403]) {
    it(`points at the API key for ${status}`, () => {
      const problem = classifyError(httpError(status, `${status} bad key`), context);
      assert.equal(problem.kind, 'auth');
      assert.match(problem.hint ?? '', /Set API Key/);
      assert.match(problem.hint ?? '', /http:\/\/127\.0\.0\.1:1234/);
      assert.deepEqual(problem.actions, ['setApiKey', 'retry']);
    });
  }

  it('recognises an unknown model from the server\'s message and fills in the hint', () => {
    const error = Object.assign(new Error('404 The model `qwen3-8b` does not exist.'), {
      status: 404,
      error: { message: 'The model `qwen3-8b` does not exist.', type: 'NotFoundError' },
    });
    const problem = classifyError(error, context);
    assert.equal(problem.kind, 'model-not-found');
    assert.equal(problem.hint, 'Load "qwen3-8b" first.');
    assert.ok(problem.actions.includes('selectModel'));
  });

  it('recognises Ollama\'s ResponseError shape for a missing model', () => {
    const error = Object.assign(new Error('model "llama9" not found, try pulling it first'), {
      status_code: 404,
      error: 'model "llama9" not found, try pulling it first',
    });
    assert.equal(classifyError(error, { ...context, model: 'llama9' }).kind, 'model-not-found');
  });

  it('reads Retry-After for 429, in seconds or as an HTTP date', () => {
    const problem = classifyError(httpError(429, 'slow down', { 'retry-after': '7' }), context);
    assert.equal(problem.kind, 'rate-limited');
    assert.equal(problem.retryAfterMs, 7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now), 5000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' })), 250);
    assert.equal(retryAfterMs(new Headers({})), undefined);
  });

  it('reports a 5xx with the server\'s words', () => {
    const problem = classifyError(httpError(503, '503 model is loading'), context);
    assert.equal(problem.kind, 'server');
    assert.match(problem.message, /LM Studio failed with 503: model is loading/);
  });

  it('calls an HTML error page a wrong base URL', () => {
    const problem = classifyError(httpError(404, '404 <!DOCTYPE html><html><body>Not Found</body></html>'), context);
    assert.equal(problem.kind, 'wrong-endpoint');
    assert.match(problem.hint ?? '', /\/v1/);
  });

  it('calls a 404 without a model message a wrong base URL', () => {
    assert.equal(classifyError(httpError(404, '404 Unexpected endpoint'), context).kind, 'wrong-endpoint');
  });

  it('treats a cut connection and Ollama\'s missing done line as interrupted', () => {
    assert.equal(classifyError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), context).kind, 'interrupted');
    assert.equal(classifyError(new Error('Did not receive done or success response in stream.'), context).kind, 'interrupted');
  });

  it('recognises aborts as cancellation', () => {
    assert.equal(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }), context).kind, 'cancelled');
  });

  it('passes a PatchbayError through untouched', () => {
    const original = new PatchbayError('wrong-endpoint', 'custom');
    assert.equal(classifyError(original, context), original);
  });

  it('still says which server failed for anything unrecognised', () => {
    const problem = classifyError(new Error('something odd'), context);
    assert.equal(problem.kind, 'unknown');
    assert.equal(problem.message, 'LM Studio: something odd');
  });
});
