/**
 * Writes argument values into a request the way the OpenAPI description says: the `style`
 * and `explode` of OpenAPI 3 (RFC 6570 expansion for path, query, header and cookie
 * parameters, plus spaceDelimited, pipeDelimited and deepObject) and Swagger 2.0's
 * `collectionFormat`. Delimiters stay literal and the same characters inside values are
 * percent-encoded, so a server can tell them apart.
 */
import type { Encoding } from './operationTypes';

/** One `name=value` of a query string or form, before encoding. */
export interface QueryPair {
  name: string;
  /** The value's parts, joined by `delimiter` (several only for non-exploded arrays and objects). */
  parts: string[];
  delimiter: string;
}

const COLLECTION_DELIMITERS: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };
const STYLE_DELIMITERS: Record<string, string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|' };

/** RFC 3986 percent-encoding of everything but the unreserved characters. */
export function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `allowReserved`: reserved characters and percent-encoded triples pass, except those that would break a query (# & = +). */
function encodeReserved(text: string): string {
  return text.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~:/?@!$'()*,;[\]]/gu, (match) => (match.length === 3 && match.startsWith('%') ? match : encodeStrict(match)));
}

/** A value as text: strings as they are, numbers and booleans as written, anything nested as JSON. */
export function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contentText(value: unknown, contentType: string): string {
  return /json/i.test(contentType) || typeof value !== 'string' ? JSON.stringify(value) : value;
}

/** The flat list RFC 6570 makes of an object that is not exploded: key, value, key, value. */
function flatEntries(value: Record<string, unknown>): string[] {
  return Object.entries(value).flatMap(([key, item]) => [key, scalar(item)]);
}

/** A path parameter's text, already percent-encoded (simple, label or matrix). */
export function pathValue(name: string, value: unknown, encoding: Encoding = {}): string {
  if (encoding.contentType) return encodeStrict(contentText(value, encoding.contentType));
  if (encoding.collectionFormat !== undefined) {
    return Array.isArray(value) ? value.map((item) => encodeStrict(scalar(item))).join(encodedDelimiter(COLLECTION_DELIMITERS[encoding.collectionFormat] ?? ',')) : encodeStrict(scalar(value));
  }
  const style = encoding.style ?? 'simple';
  const explode = encoding.explode ?? false;
  const prefix = style === 'label' ? '.' : style === 'matrix' ? ';' : '';
  // Label expands exploded lists with its own prefix; simple and matrix (for lists) with commas.
  const joiner = explode ? (style === 'label' ? '.' : style === 'matrix' ? ';' : ',') : ',';
  const named = (text: string) => (style === 'matrix' ? `${encodeStrict(name)}${text === '' ? '' : `=${text}`}` : text);
  if (Array.isArray(value)) {
    const items = value.map((item) => encodeStrict(scalar(item)));
    if (style === 'matrix' && explode) return items.map((item) => `;${named(item)}`).join('');
    return `${prefix}${named(items.join(joiner))}`;
  }
  if (isObject(value)) {
    if (explode) return `${prefix}${Object.entries(value).map(([key, item]) => `${encodeStrict(key)}=${encodeStrict(scalar(item))}`).join(joiner)}`;
    return `${prefix}${named(flatEntries(value).map(encodeStrict).join(','))}`;
  }
  return `${prefix}${named(encodeStrict(scalar(value)))}`;
}

/** A query parameter (or a url-encoded form field) as name/value pairs. */
export function queryPairs(name: string, value: unknown, encoding: Encoding = {}): QueryPair[] {
  const single = (text: string): QueryPair[] => [{ name, parts: [text], delimiter: ',' }];
  if (value === null || value === undefined) return [];
  if (encoding.contentType) return single(contentText(value, encoding.contentType));
  if (encoding.collectionFormat !== undefined) {
    if (!Array.isArray(value)) return single(scalar(value));
    if (value.length === 0) return [];
    if (encoding.collectionFormat === 'multi') return value.map((item) => ({ name, parts: [scalar(item)], delimiter: ',' }));
    return [{ name, parts: value.map(scalar), delimiter: COLLECTION_DELIMITERS[encoding.collectionFormat] ?? ',' }];
  }
  const style = encoding.style ?? 'form';
  const explode = encoding.explode ?? style === 'form';
  if (style === 'deepObject' && isObject(value)) return deepObjectPairs(name, value);
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (explode) return value.map((item) => ({ name, parts: [scalar(item)], delimiter: ',' }));
    return [{ name, parts: value.map(scalar), delimiter: STYLE_DELIMITERS[style] ?? ',' }];
  }
  if (isObject(value)) {
    if (Object.keys(value).length === 0) return [];
    if (explode) return Object.entries(value).map(([key, item]) => ({ name: key, parts: [scalar(item)], delimiter: ',' }));
    return [{ name, parts: flatEntries(value), delimiter: STYLE_DELIMITERS[style] ?? ',' }];
  }
  return single(scalar(value));
}

function deepObjectPairs(name: string, value: Record<string, unknown>): QueryPair[] {
  return Object.entries(value).flatMap(([key, item]) => {
    const nested = `${name}[${key}]`;
    if (isObject(item)) return deepObjectPairs(nested, item);
    if (Array.isArray(item)) return item.map((entry) => ({ name: nested, parts: [scalar(entry)], delimiter: ',' }));
    return [{ name: nested, parts: [scalar(item)], delimiter: ',' }];
  });
}

/** `name=value` for a URL's query: a comma delimiter stays literal, others are encoded. */
export function encodeQueryPair(pair: QueryPair, encoding: Encoding = {}): string {
  const encode = encoding.allowReserved ? encodeReserved : encodeStrict;
  return `${encodeStrict(pair.name)}=${pair.parts.map(encode).join(encodedDelimiter(pair.delimiter))}`;
}

/** RFC 6570 keeps its comma literal; the other delimiters are encoded like any character. */
function encodedDelimiter(delimiter: string): string {
  return delimiter === ',' ? ',' : encodeStrict(delimiter);
}

/** A header parameter's value (simple style); not percent-encoded. */
export function headerValue(value: unknown, encoding: Encoding = {}): string {
  if (encoding.contentType) return contentText(value, encoding.contentType);
  if (Array.isArray(value)) return value.map(scalar).join(encoding.collectionFormat !== undefined ? (COLLECTION_DELIMITERS[encoding.collectionFormat] ?? ',') : ',');
  if (isObject(value)) {
    return encoding.explode ? Object.entries(value).map(([key, item]) => `${key}=${scalar(item)}`).join(',') : flatEntries(value).join(',');
  }
  return scalar(value);
}

/** A cookie parameter as `name=value` pieces (form style; values percent-encoded). */
export function cookiePieces(name: string, value: unknown, encoding: Encoding = {}): string[] {
  const explode = encoding.explode ?? (encoding.style ?? 'form') === 'form';
  if (Array.isArray(value)) {
    if (explode && encoding.collectionFormat === undefined) return value.map((item) => `${name}=${encodeStrict(scalar(item))}`);
    return [`${name}=${value.map((item) => encodeStrict(scalar(item))).join(',')}`];
  }
  if (isObject(value)) {
    if (explode) return Object.entries(value).map(([key, item]) => `${key}=${encodeStrict(scalar(item))}`);
    return [`${name}=${flatEntries(value).map(encodeStrict).join(',')}`];
  }
  return [`${name}=${encodeStrict(contentText(value, encoding.contentType ?? 'text/plain'))}`];
}
