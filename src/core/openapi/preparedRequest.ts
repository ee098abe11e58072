/**
 * Turns a tool call's arguments into an HTTP request for its operation: each argument goes
 * where its parameter is declared (path, query, header, cookie or body), written in the
 * parameter's style. Values that would leave the operation's path, or break a header, are
 * refused with the parameter's name.
 */
import type { ArgumentBinding, Encoding, HttpMethod } from './operationTypes';
import { cookiePieces, encodeQueryPair, headerValue, pathValue, queryPairs, scalar } from './parameterStyles';
import { displayUrl, ToolCallError } from './toolCallError';

export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Text, or a multipart form (sent with the boundary it is serialized with in its content type). */
  body?: string | FormData;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;

export function prepareRequest(
  method: HttpMethod,
  baseUrl: string,
  pathTemplate: string,
  bindings: readonly ArgumentBinding[],
  args: Record<string, unknown>,
  bodyContentType: string | undefined,
): PreparedRequest {
  const pathValues = new Map<string, { text: string; raw: unknown }>();
  const query: string[] = [];
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
  const cookies: string[] = [];
  const bodyFields: [string, unknown, Encoding | undefined][] = [];
  let body: unknown;
  let bodyBinding: ArgumentBinding | undefined;
  let hasBody = false;
  for (const binding of bindings) {
    const value = args[binding.argument];
    if (value === undefined) continue;
    switch (binding.place) {
      case 'path':
        if (value !== null) pathValues.set(binding.name, { text: pathValue(binding.name, value, binding.encoding), raw: value });
        break;
      case 'query':
        for (const pair of queryPairs(binding.name, value, binding.encoding)) query.push(encodeQueryPair(pair, binding.encoding));
        break;
      case 'header':
        if (value !== null) headers[binding.name.toLowerCase()] = checkedHeader(binding.name, headerValue(value, binding.encoding));
        break;
      case 'cookie':
        if (value !== null) cookies.push(...cookiePieces(binding.name, value, binding.encoding));
        break;
      case 'bodyField':
      case 'formData':
        bodyFields.push([binding.name, value, binding.encoding]);
        hasBody = true;
        break;
      case 'body':
        body = value;
        bodyBinding = binding;
        hasBody = true;
        break;
    }
  }
  const path = fillPath(pathTemplate, pathValues);
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(base + path);
  // The URL parser resolves dot segments (and reads "\" as "/"): whatever the values, the
  // call must reach as many segments as the operation's path has.
  const segments = (text: string) => text.split('/').length;
  if (segments(url.pathname) !== segments(new URL(base).pathname.replace(/\/+$/, '')) + segments(path) - 1) {
    throw new ToolCallError(`the path parameters would make ${displayUrl(url)} leave the operation's path ${pathTemplate}`);
  }
  if (query.length > 0) url.search = `${url.search ? `${url.search}&` : '?'}${query.join('&')}`;
  if (cookies.length > 0) headers['cookie'] = cookies.join('; ');
  const request: PreparedRequest = { method: method.toUpperCase(), url, headers };
  if (hasBody) {
    const contentType = bodyContentType ?? 'application/json';
    const fields = body !== undefined ? wholeBodyFields(body, bodyBinding) : bodyFields;
    if (/^multipart\//i.test(contentType) && fields) {
      // No content-type header yet: it names the boundary, chosen when the form is serialized.
      request.body = multipartBody(fields);
    } else if (contentType === FORM_TYPE && fields) {
      request.headers['content-type'] = FORM_TYPE;
      const form = new URLSearchParams();
      for (const [name, value, encoding] of fields) {
        for (const pair of queryPairs(name, value, encoding)) form.append(pair.name, pair.parts.join(pair.delimiter));
      }
      request.body = form.toString();
    } else {
      const payload = body !== undefined ? body : Object.fromEntries(bodyFields.map(([name, value]) => [name, value]));
      request.headers['content-type'] = contentType;
      request.body = typeof payload === 'string' && !/json/.test(contentType) ? payload : JSON.stringify(payload);
    }
  }
  return request;
}

/** Fills the path template; a parameter may not turn a segment into `.` or `..`. */
function fillPath(template: string, values: ReadonlyMap<string, { text: string; raw: unknown }>): string {
  return template
    .split('/')
    .map((segment) => {
      const names = [...segment.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      if (names.length === 0) return segment;
      let filled = segment;
      for (const name of names) {
        const value = values.get(name);
        if (!value) throw new ToolCallError(`the path parameter "${name}" is missing`);
        filled = filled.replaceAll(`{${name}}`, value.text);
      }
      if (DOT_SEGMENT.test(filled)) {
        const name = names.find((candidate) => values.get(candidate)!.text !== '') ?? names[0]!;
        throw new ToolCallError(`the path parameter "${name}" cannot be ${JSON.stringify(scalar(values.get(name)!.raw))}: it would leave the operation's path`);
      }
      return filled;
    })
    .join('/');
}

/** HTTP header values are bytes: Latin-1 only, and no line breaks that would start another header. */
function checkedHeader(name: string, value: string): string {
  const outside = /[^\t\x20-\x7e\x80-\xff]/u.exec(value)?.[0];
  if (outside !== undefined && /[\x00-\x1f\x7f]/.test(outside)) {
    throw new ToolCallError(`the header parameter "${name}" cannot be sent: it contains a line break or control character`);
  }
  if (outside !== undefined) {
    throw new ToolCallError(`the header parameter "${name}" cannot be sent: "${outside}" is not a Latin-1 character, and HTTP header values allow only those`);
  }
  return value;
}

/** A whole-body argument sent as a form: its properties are the fields. */
function wholeBodyFields(body: unknown, binding: ArgumentBinding | undefined): [string, unknown, Encoding | undefined][] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.entries(body as Record<string, unknown>).map(([name, value]) => [name, value, binding?.fields?.[name]]);
}

/** Files as file parts, arrays as one part per item, objects as JSON (or their declared type). */
function multipartBody(fields: readonly [string, unknown, Encoding | undefined][]): FormData {
  const form = new FormData();
  const append = (name: string, value: unknown, encoding: Encoding | undefined) => {
    const text = typeof value === 'string' ? value : scalar(value);
    if (encoding?.file) form.append(name, new Blob([text], { type: encoding.contentType ?? 'application/octet-stream' }), name);
    else if (encoding?.contentType && !/^text\/plain/i.test(encoding.contentType)) form.append(name, new Blob([text], { type: encoding.contentType }), name);
    else form.append(name, text);
  };
  for (const [name, value, encoding] of fields) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) append(name, item, encoding);
    else append(name, value, encoding);
  }
  return form;
}
