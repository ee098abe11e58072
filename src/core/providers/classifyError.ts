/**
 * Maps whatever a provider threw to a PatchbayError with a specific message and a way out.
 * This is the only place that knows HTTP status codes and socket error codes, so every
 * provider plugin (ours or a user's) gets the same helpful errors for free.
 */
import { describeError, PatchbayError } from '../errors';
import { excerpt } from '../streaming/sseJson';
import { WireFormatError } from '../streaming/wireError';
import { originOf } from '../util/url';
import { retryAfterMs } from './retryAfter';
import { headersOf, httpStatus, isAbort, serverMessageOf, socketErrorCode } from './thrownErrorFields';

export interface FailureContext {
  /** The endpoint's name as the user knows it, e.g. "LM Studio". */
  endpointLabel: string;
  baseUrl: string;
  model?: string;
  /** How to start this server, from the provider type's declaration. */
  startHint?: string;
  /** How to get a missing model, `{model}` replaced by its id. */
  missingModelHint?: string;
}

export function classifyError(error: unknown, context: FailureContext): PatchbayError {
  if (error instanceof WireFormatError) return fromWireFault(error, context);
  if (error instanceof PatchbayError) return error;
  if (isAbort(error)) return new PatchbayError('cancelled', 'Stopped.', { cause: error });

  const status = httpStatus(error);
  if (status !== undefined) return fromHttpStatus(status, error, context);

  const code = socketErrorCode(error);
  if (code !== undefined) return fromSocketError(code, error, context);

  const text = describeError(error);
  if (/bad port/i.test(text)) {
    const port = safePort(context.baseUrl);
    return new PatchbayError('connection', `Could not connect to ${context.endpointLabel} at ${context.baseUrl}: port ${port} is blocked by Node's fetch (it is reserved for another protocol).`, {
      url: context.baseUrl,
      cause: error,
      hint: 'Run the server on another port (for example 8000 or 8080) and change the base URL.',
      actions: ['openConfig', 'openSettings'],
    });
  }
  if (/did not receive done|premature close|^terminated\b|other side closed/i.test(text)) {
    return interrupted(context, error);
  }
  if (error instanceof SyntaxError && /<|doctype|html/i.test(text)) {
    return wrongEndpoint(context, 'answered with something that is not JSON (an HTML page?)', error);
  }
  return new PatchbayError('unknown', `${context.endpointLabel}: ${text}`, {
    actions: ['retry', 'showLogs'],
    cause: error,
  });
}

function fromHttpStatus(status: number, error: unknown, context: FailureContext): PatchbayError {
  const serverMessage = serverMessageOf(error);
  const label = context.endpointLabel;
  const common = { status, url: context.baseUrl, cause: error };
  if (status === 401 || status === 403) {
    return new PatchbayError('auth', `${label} refused the request (${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}): the API key is missing or wrong.`, {
      ...common,
      hint: `Save the key for ${originOf(context.baseUrl)} with "Patchbay: Set API Key".`,
      actions: ['setApiKey', 'retry'],
    });
  }
  if (status === 429) {
    const wait = retryAfterMs(headersOf(error));
    return new PatchbayError('rate-limited', `${label} is limiting requests (429 Too Many Requests).`, {
      ...common,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      hint: 'Wait a moment and retry, or pick a model on another server.',
      actions: ['retry', 'selectModel'],
    });
  }
  if (looksLikeHtml(serverMessage)) {
    return wrongEndpoint(context, `answered ${status} with an HTML page instead of the API`, error);
  }
  if ((status === 404 || status === 400) && mentionsMissingModel(serverMessage, context.model)) {
    return modelNotFound(context, serverMessage, error, status);
  }
  if (status === 404) {
    return wrongEndpoint(context, `answered 404 Not Found${serverMessage ? `: ${excerpt(serverMessage)}` : ''}`, error);
  }
  if (status >= 500) {
    return new PatchbayError('server', sentence(`${label} failed with ${status}${serverMessage ? `: ${excerpt(serverMessage, 300)}` : ''}`), {
      ...common,
      hint: "The server had an internal error; its own log usually says why. Retry once it has recovered.",
      actions: ['retry', 'showLogs'],
    });
  }
  return new PatchbayError('bad-request', sentence(`${label} rejected the request (${status})${serverMessage ? `: ${excerpt(serverMessage, 300)}` : ''}`), {
    ...common,
    hint: badRequestHint(serverMessage),
    actions: ['retry', 'openSettings'],
  });
}

/** The wire parsers do not know the endpoint: name it, and say what to do. */
function fromWireFault(error: WireFormatError, context: FailureContext): PatchbayError {
  const label = context.endpointLabel;
  if (error.fault === 'html') return wrongEndpoint(context, 'answered with an HTML page instead of the API', error);
  if (error.fault === 'not-json' && !error.afterData) {
    return wrongEndpoint(context, `sent something that is not JSON${error.sample ? `: ${error.sample}` : ''}`, error);
  }
  const what = error.fault === 'not-json'
    ? `${label} sent a line that is not JSON in the middle of the answer: ${error.sample}`
    : `${label}: ${error.message}`;
  return new PatchbayError('server', sentence(what), {
    url: context.baseUrl,
    cause: error,
    hint: error.fault === 'too-large'
      ? 'The server sent far more than any answer needs; its log may say why. Retry, or ask for a shorter answer.'
      : 'The server (or a proxy in front of it) broke the stream. Retry; its log may say why.',
    actions: ['retry', 'showLogs'],
  });
}

/**
 * What to do about a 400, from the server's words. Ollama says why in plain text; each cause
 * has its own way out.
 */
function badRequestHint(serverMessage: string): string {
  const lower = serverMessage.toLowerCase();
  if (/does not support tools/.test(lower)) return 'This model cannot call tools: pick a model that can, or turn tools off for it in config.yaml.';
  if (/does not support thinking/.test(lower)) return 'This model does not think: turn thinking off for it, or pick a thinking model.';
  if (/does not support (chat|generate|completion)|embedding/.test(lower)) return 'This is an embedding model, which cannot chat: pick a chat model.';
  if (/does not support (images|vision)|image/.test(lower)) return 'This model cannot read images: pick a vision model, or leave the image out.';
  if (/context (length|window)|too long|exceeds|num_ctx|maximum context/.test(lower)) {
    return 'The prompt is longer than the model\'s window: start a new chat, remove context chips, or set the model\'s contextLength in config.yaml.';
  }
  if (/invalid option|cannot unmarshal|invalid (value|type)|temperature|top_p|num_predict|max_tokens|\bstop\b/.test(lower)) {
    return 'A generation setting has a value the server does not accept: check patchbay.temperature, patchbay.maxTokens, patchbay.topP and patchbay.stop.';
  }
  if (/model is required|invalid model name|model name/.test(lower)) return 'Pick a model in the model picker.';
  return 'Check the model and the generation settings (temperature, max tokens, stop).';
}

/** Ends a message with one full stop, unless the server's own sentence already ended it. */
function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function fromSocketError(code: string, error: unknown, context: FailureContext): PatchbayError {
  const label = context.endpointLabel;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return interrupted(context, error);
  const reason =
    code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found'
    : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connection timed out'
    : code;
  return new PatchbayError('connection', `Could not connect to ${label} at ${context.baseUrl} (${reason}).`, {
    url: context.baseUrl,
    cause: error,
    hint: context.startHint ?? 'Check that the server is running and that the base URL and port are right.',
    actions: ['retry', 'refreshModels', 'openConfig'],
  });
}

function interrupted(context: FailureContext, cause: unknown): PatchbayError {
  return new PatchbayError('interrupted', `The connection to ${context.endpointLabel} was cut before the answer finished.`, {
    url: context.baseUrl,
    cause,
    hint: 'Retry to ask again.',
    actions: ['retry', 'showLogs'],
  });
}

function wrongEndpoint(context: FailureContext, what: string, cause: unknown): PatchbayError {
  return new PatchbayError('wrong-endpoint', `${context.endpointLabel} at ${context.baseUrl} ${what}.`, {
    url: context.baseUrl,
    cause,
    hint: 'The base URL is probably wrong. OpenAI-compatible servers usually want it to end in /v1 (for example http://127.0.0.1:1234/v1); Ollama\'s native API wants it without.',
    actions: ['openConfig', 'openSettings'],
  });
}

function modelNotFound(context: FailureContext, serverMessage: string, cause: unknown, status: number): PatchbayError {
  const model = context.model ?? 'the selected model';
  const hint = context.missingModelHint?.replaceAll('{model}', model) ?? 'Pick a model the server lists.';
  return new PatchbayError('model-not-found', `Model "${model}" is not available on ${context.endpointLabel}${serverMessage ? ` (${excerpt(serverMessage)})` : ''}.`, {
    status,
    url: context.baseUrl,
    cause,
    hint,
    actions: ['selectModel', 'refreshModels'],
  });
}

function mentionsMissingModel(message: string, model: string | undefined): boolean {
  const lower = message.toLowerCase();
  if (lower.includes('model_not_found')) return true;
  const saysMissing = /not found|does not exist|doesn't exist|no such model|unknown model|not loaded|invalid model/.test(lower);
  return saysMissing && (lower.includes('model') || (model !== undefined && lower.includes(model.toLowerCase())));
}

function safePort(url: string): string {
  try {
    return new URL(url).port || '(default)';
  } catch {
    return '?';
  }
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html)/i.test(text) || /<\/(html|body|head)>/i.test(text);
}
