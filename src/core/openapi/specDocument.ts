/**
 * An OpenAPI description read from text: Swagger 2.0, OpenAPI 3.0 or 3.1, as JSON or YAML.
 * A document that cannot be used gets an error saying where (file, line and column) and why.
 */
import { yaml } from '../util/lazyModules';

export type SpecVersion = '2.0' | '3.0' | '3.1';

export interface SpecDocument {
  root: Record<string, unknown>;
  version: SpecVersion;
  /** The file path or URL it was read from; relative references resolve against it. */
  location: string;
}

export class SpecError extends Error {
  constructor(readonly location: string, message: string) {
    super(`${location}: ${message}`);
    this.name = 'SpecError';
  }
}

export function parseSpec(text: string, location: string): SpecDocument {
  // A page where the spec should be is recognised only once the text failed to parse as a
  // spec: looking at a 13 MB spec's head first would cost as much as a fifth of its parse.
  let root: unknown;
  try {
    root = parseText(text, location);
  } catch (error) {
    throw markupError(text, location) ?? error;
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw markupError(text, location) ?? new SpecError(location, 'is not an OpenAPI document (the top level must be an object)');
  }
  const record = root as Record<string, unknown>;
  const error = errorResponseMessage(record);
  if (error !== undefined) throw new SpecError(location, `is an error response, not an OpenAPI document${error ? `: ${error}` : ''}`);
  const version = versionOf(record, location);
  if (typeof record['paths'] !== 'object' || record['paths'] === null) throw new SpecError(location, 'has no "paths": there are no operations to offer as tools');
  return { root: record, version, location };
}

function markupError(text: string, location: string): SpecError | undefined {
  const page = markupKind(text);
  if (!page) return undefined;
  return new SpecError(location, `is ${page}, not an OpenAPI document${/^https?:/i.test(location) ? ' (is the URL that of a documentation page? FastAPI, for one, serves its spec at /openapi.json)' : ''}`);
}

/** JSON or YAML text as data, with errors located at their line and column. */
export function parseText(withBom: string, location: string): unknown {
  // A byte order mark is allowed before JSON and YAML text, and means nothing.
  const text = withBom.replace(/^\uFEFF/, '');
  // Large specs are JSON (the GitHub REST description is 13 MB): JSON.parse is far faster
  // than a YAML parser, and YAML is a superset, so JSON is tried first.
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message));
      if (position) {
        const { line, column } = lineAndColumn(text, Number(position[1]));
        throw new SpecError(location, `invalid JSON at line ${line}, column ${column}: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
      }
    }
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const first = document.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new SpecError(location, `invalid YAML at line ${line}, column ${col}: ${first.message.split('\n')[0]}`);
  }
  return document.toJS({ maxAliasCount: 1000 });
}

function versionOf(root: Record<string, unknown>, location: string): SpecVersion {
  const swagger = root['swagger'];
  const openapi = root['openapi'];
  if (swagger !== undefined) {
    if (versionText(swagger).startsWith('2.0')) return '2.0';
    throw new SpecError(location, `Swagger ${String(swagger)} is not supported (only 2.0)`);
  }
  if (typeof openapi === 'string' || typeof openapi === 'number') {
    const version = versionText(openapi);
    if (version.startsWith('3.0')) return '3.0';
    if (version.startsWith('3.1')) return '3.1';
    throw new SpecError(location, `OpenAPI ${String(openapi)} is not supported (3.0 and 3.1 are)`);
  }
  throw new SpecError(location, 'is not an OpenAPI document: it has neither an "openapi" nor a "swagger" field');
}

/** `openapi: 3.1` unquoted in YAML is the number 3.1, and `3.0` the number 3. */
function versionText(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  return String(value);
}

/** "an HTML page" (or other markup) when the text is one rather than JSON or YAML. */
export function markupKind(text: string): string | undefined {
  // Only the head is looked at: trimming the whole text would copy a 13 MB spec.
  const start = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart().slice(0, 512);
  if (!start.startsWith('<')) return undefined;
  return /^<(!doctype\s+html|html|head|body|!--)/i.test(start) || /<html[\s>]/i.test(start) ? 'an HTML page' : 'an XML or HTML document';
}

/**
 * The message of what looks like an API's JSON error body (`{"detail": "Not Found"}`,
 * `{"error": {...}}`, RFC 9457 problem details): "" when it has none, undefined when the
 * object does not look like one.
 */
export function errorResponseMessage(body: Record<string, unknown>): string | undefined {
  if ('openapi' in body || 'swagger' in body || 'paths' in body) return undefined;
  const keys = Object.keys(body);
  const errorish = keys.some((key) => ['error', 'errors', 'detail', 'message', 'statusCode'].includes(key)) || ('status' in body && 'title' in body);
  if (!errorish || keys.length > 6) return undefined;
  const candidates = [body['detail'], body['message'], (body['error'] as { message?: unknown } | undefined)?.message, body['error'], body['title']];
  const message = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return message === undefined ? '' : JSON.stringify(message.length > 200 ? `${message.slice(0, 200)}…` : message);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
