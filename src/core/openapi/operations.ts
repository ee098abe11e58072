/**
 * The operations of an OpenAPI description, each ready to become a tool: a valid, unique
 * name; a description within a budget; where its arguments go in the HTTP request; and
 * (built only when asked, since a big spec has a thousand of them) one JSON Schema for all
 * its arguments, merging path, query and header parameters with the request body.
 */
import { createHash } from 'node:crypto';
import type { RefResolver } from './refResolver';
import type { SpecDocument } from './specDocument';
import { toToolSchema, type SchemaBudget } from './toolSchema';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
/** fetch refuses to send TRACE at all, and a GET or HEAD with a body. */
const UNSENDABLE_METHODS: ReadonlySet<HttpMethod> = new Set(['trace']);
const BODYLESS_METHODS: ReadonlySet<HttpMethod> = new Set(['get', 'head']);

export type ArgumentPlace = 'path' | 'query' | 'header' | 'cookie' | 'body' | 'bodyField' | 'formData';

/** How a value is written into the request, as the parameter or body field declares. */
export interface Encoding {
  /** OpenAPI 3: form, spaceDelimited, pipeDelimited, deepObject, simple, label, matrix. */
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  /** Swagger 2.0 arrays: csv (its default), ssv, tsv, pipes, multi. */
  collectionFormat?: string;
  /** A parameter with `content`, or a body part's declared media type. */
  contentType?: string;
  /** A multipart part that is a file (`format: binary`, Swagger 2.0's `type: file`). */
  file?: boolean;
}

/** Where one tool argument goes in the request. */
export interface ArgumentBinding {
  argument: string;
  place: ArgumentPlace;
  /** The parameter or body field name in the request. */
  name: string;
  encoding?: Encoding;
  /** For a whole-body argument sent as a form: each field's encoding. */
  fields?: Record<string, Encoding>;
}

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  toolName: string;
  /** Resolved parameter objects (path-level and operation-level merged). */
  parameters: ParameterObject[];
  body?: { contentType: string; schema: unknown; required: boolean; encoding?: Record<string, Encoding> };
  /** Names of the security schemes the operation accepts (the first set that applies). */
  security: string[];
  /** Operation-level or path-level servers, when they override the document's. */
  servers?: unknown[];
  /** The document location the operation's references resolve against. */
  location: string;
}

export interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
  /** Swagger 2.0 keeps the type on the parameter itself. */
  [keyword: string]: unknown;
}

const MAX_NAME = 64;
const JSON_TYPES = /^application\/([\w.+-]*\+)?json\b/;
const FORM_TYPE = 'application/x-www-form-urlencoded';
const IGNORED_HEADERS = /^(accept|content-type|authorization)$/i;

export function listOperations(spec: SpecDocument, resolver: RefResolver): Operation[] {
  const used = new Set<string>();
  const operations: Operation[] = [];
  const paths = spec.root['paths'] as Record<string, unknown>;
  const globalSecurity = spec.root['security'];
  for (const [path, rawItem] of Object.entries(paths)) {
    if (typeof rawItem !== 'object' || rawItem === null) continue;
    const { value: item, location } = resolver.follow(rawItem, spec.location);
    const pathItem = item as Record<string, unknown>;
    const shared = parameterList(pathItem['parameters'], location, resolver);
    for (const method of HTTP_METHODS) {
      if (UNSENDABLE_METHODS.has(method)) continue;
      const raw = pathItem[method];
      if (typeof raw !== 'object' || raw === null) continue;
      const operation = raw as Record<string, unknown>;
      const own = parameterList(operation['parameters'], location, resolver);
      const parameters = mergeParameters(shared, own);
      const operationId = typeof operation['operationId'] === 'string' ? operation['operationId'] : undefined;
      const entry: Operation = {
        method,
        path,
        toolName: uniqueToolName(operationId ?? `${method}_${path}`, used),
        parameters: parameters.filter((parameter) => parameter.in !== 'body' && !(spec.version === '2.0' && parameter.in === 'formData')),
        security: securityNames(operation['security'] ?? globalSecurity),
        location,
      };
      if (operationId !== undefined) entry.operationId = operationId;
      if (typeof operation['summary'] === 'string') entry.summary = operation['summary'];
      if (typeof operation['description'] === 'string') entry.description = operation['description'];
      const servers = operation['servers'] ?? pathItem['servers'];
      if (Array.isArray(servers) && servers.length > 0) entry.servers = servers;
      const body = spec.version === '2.0' ? swaggerBody(parameters, operation, spec.root['consumes']) : openApiBody(operation['requestBody'], location, resolver);
      if (body && !BODYLESS_METHODS.has(method)) entry.body = body;
      operations.push(entry);
    }
  }
  return operations;
}

/** The tool's description: the operation's own words, then the plugin's, cut to a budget. */
export function toolDescription(operation: Operation, pluginDescription: string | undefined, budget = 1024): string {
  const own = [operation.summary, operation.description].filter((text): text is string => Boolean(text && text.trim())).map((text) => text.trim());
  const unique = own.filter((text, index) => own.indexOf(text) === index);
  const parts = [unique.join('\n\n') || `${operation.method.toUpperCase()} ${operation.path}`];
  if (pluginDescription) parts.push(pluginDescription.trim());
  const text = parts.join('\n\n');
  return text.length > budget ? `${text.slice(0, budget - 1)}…` : text;
}

/** One JSON Schema for every argument, and where each argument goes. */
export function argumentSchema(operation: Operation, resolver: RefResolver, budget?: SchemaBudget): { schema: Record<string, unknown>; bindings: ArgumentBinding[] } {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const bindings: ArgumentBinding[] = [];
  const take = (preferred: string, place: ArgumentPlace): string => {
    let name = preferred;
    if (Object.hasOwn(properties, name)) name = `${place}_${preferred}`;
    for (let n = 2; Object.hasOwn(properties, name); n++) name = `${place}_${preferred}_${n}`;
    return name;
  };
  for (const parameter of operation.parameters) {
    const place = parameter.in as ArgumentPlace;
    if (!['path', 'query', 'header', 'cookie', 'formData'].includes(place)) continue;
    // OpenAPI 3: these headers are the body's, the response's and the credential's, never a parameter.
    if (place === 'header' && IGNORED_HEADERS.test(parameter.name)) continue;
    const argument = take(parameter.name, place);
    const schema = toToolSchema(parameterSchema(parameter), operation.location, resolver, budget);
    if (parameter.description && schema['description'] === undefined) schema['description'] = parameter.description;
    properties[argument] = schema;
    if (parameter.required || place === 'path') required.push(argument);
    bindings.push({ argument, place, name: parameter.name, encoding: parameterEncoding(parameter) });
  }
  if (operation.body) {
    const bodySchema = toToolSchema(operation.body.schema, operation.location, resolver, budget);
    const fields = bodySchema['type'] === 'object' || (bodySchema['type'] === undefined && typeof bodySchema['properties'] === 'object')
      ? (bodySchema['properties'] as Record<string, unknown> | undefined)
      : undefined;
    const clash = fields !== undefined && Object.keys(fields).some((field) => Object.hasOwn(properties, field));
    if (fields && !clash && Object.keys(fields).length > 0) {
      // An object body's fields become arguments of their own: models fill flat arguments best.
      const requiredFields = Array.isArray(bodySchema['required']) ? (bodySchema['required'] as string[]) : [];
      for (const [field, schema] of Object.entries(fields)) {
        properties[field] = schema;
        bindings.push({ argument: field, place: 'bodyField', name: field, encoding: fieldEncoding(operation.body.encoding?.[field], schema) });
        if (operation.body.required && requiredFields.includes(field)) required.push(field);
      }
    } else {
      const argument = take('body', 'body');
      properties[argument] = bodySchema;
      const binding: ArgumentBinding = { argument, place: 'body', name: argument };
      if (fields) binding.fields = Object.fromEntries(Object.entries(fields).map(([field, schema]) => [field, fieldEncoding(operation.body?.encoding?.[field], schema)]));
      bindings.push(binding);
      if (operation.body.required) required.push(argument);
    }
  }
  const schema: Record<string, unknown> = { type: 'object', properties };
  if (required.length > 0) schema['required'] = required;
  return { schema, bindings };
}

/** A name matching `^[a-zA-Z0-9_-]{1,64}$` that is not in `used` yet, however many clash. */
export function uniqueToolName(raw: string, used: Set<string>): string {
  let base = raw.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '') || 'operation';
  if (base.length > MAX_NAME) base = `${base.slice(0, MAX_NAME - 9)}_${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
  let name = base;
  for (let n = 2; used.has(name); n++) {
    // The number replaces the end of the name rather than making it longer than allowed.
    const suffix = `_${n}`;
    name = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
  }
  used.add(name);
  return name;
}

function parameterList(value: unknown, location: string, resolver: RefResolver): ParameterObject[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => resolver.follow(entry, location).value)
    .filter((entry): entry is ParameterObject => typeof entry === 'object' && entry !== null && typeof (entry as ParameterObject).name === 'string' && typeof (entry as ParameterObject).in === 'string');
}

/** Operation-level parameters override path-level ones with the same name and place. */
function mergeParameters(shared: ParameterObject[], own: ParameterObject[]): ParameterObject[] {
  const key = (parameter: ParameterObject) => `${parameter.in}:${parameter.name}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((parameter) => !ownKeys.has(key(parameter))), ...own];
}

/** OpenAPI 3 parameters carry a `schema`; Swagger 2.0 ones carry the type themselves. */
function parameterSchema(parameter: ParameterObject): unknown {
  if (parameter.schema !== undefined) return parameter.schema;
  const content = parameter['content'];
  if (typeof content === 'object' && content !== null) {
    const first = Object.values(content as Record<string, { schema?: unknown }>)[0];
    if (first?.schema !== undefined) return first.schema;
  }
  const { name: _name, in: _in, required: _required, description: _description, ...typeFields } = parameter;
  return typeFields;
}

/**
 * Swagger 2.0: a `body` parameter, or `formData` parameters, which become one form body
 * (multipart when the operation consumes it or uploads a file, url-encoded otherwise).
 */
function swaggerBody(parameters: ParameterObject[], operation: Record<string, unknown>, rootConsumes: unknown): Operation['body'] {
  const declared = operation['consumes'] ?? rootConsumes;
  const consumes = Array.isArray(declared) ? declared.filter((type): type is string => typeof type === 'string') : [];
  const body = parameters.find((parameter) => parameter.in === 'body');
  if (body) return { contentType: consumes.find((type) => JSON_TYPES.test(type)) ?? 'application/json', schema: body.schema ?? {}, required: body.required === true };
  const formFields = parameters.filter((parameter) => parameter.in === 'formData');
  if (formFields.length === 0) return undefined;
  const multipart = formFields.some((parameter) => parameter['type'] === 'file') || (consumes.includes('multipart/form-data') && !consumes.includes(FORM_TYPE));
  const properties: Record<string, unknown> = {};
  const encoding: Record<string, Encoding> = {};
  for (const parameter of formFields) {
    const schema = parameterSchema(parameter) as Record<string, unknown>;
    properties[parameter.name] = parameter.description !== undefined ? { ...schema, description: parameter.description } : schema;
    encoding[parameter.name] = parameterEncoding(parameter);
  }
  const required = formFields.filter((parameter) => parameter.required === true).map((parameter) => parameter.name);
  return {
    contentType: multipart ? 'multipart/form-data' : FORM_TYPE,
    schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    required: required.length > 0,
    encoding,
  };
}

function openApiBody(value: unknown, location: string, resolver: RefResolver): Operation['body'] {
  if (value === undefined) return undefined;
  const { value: requestBody } = resolver.follow(value, location);
  const content = (requestBody as { content?: Record<string, { schema?: unknown; encoding?: unknown }> } | null)?.content;
  if (!content) return undefined;
  const types = Object.keys(content);
  const contentType = types.find((type) => JSON_TYPES.test(type)) ?? types.find((type) => type === FORM_TYPE) ?? types.find((type) => /^multipart\//.test(type)) ?? types[0];
  if (contentType === undefined) return undefined;
  const body: NonNullable<Operation['body']> = { contentType, schema: content[contentType]?.schema ?? {}, required: (requestBody as { required?: unknown }).required === true };
  const encoding = content[contentType]?.encoding;
  if (typeof encoding === 'object' && encoding !== null) {
    body.encoding = Object.fromEntries(Object.entries(encoding as Record<string, unknown>).map(([field, entry]) => [field, parameterEncoding(resolver.follow(entry, location).value as ParameterObject)]));
  }
  return body;
}

/** What a parameter (or a form field's Encoding Object) says about how its value is written. */
function parameterEncoding(parameter: Record<string, unknown> | null | undefined): Encoding {
  const encoding: Encoding = {};
  if (!parameter) return encoding;
  if (typeof parameter['style'] === 'string') encoding.style = parameter['style'];
  if (typeof parameter['explode'] === 'boolean') encoding.explode = parameter['explode'];
  if (parameter['allowReserved'] === true) encoding.allowReserved = true;
  if (typeof parameter['contentType'] === 'string') encoding.contentType = parameter['contentType'];
  const content = parameter['content'];
  if (typeof content === 'object' && content !== null && Object.keys(content).length > 0) encoding.contentType = Object.keys(content)[0]!;
  // Swagger 2.0 parameters carry their type themselves, and arrays default to csv.
  if (parameter['schema'] === undefined && content === undefined && parameter['type'] !== undefined) {
    encoding.collectionFormat = typeof parameter['collectionFormat'] === 'string' ? parameter['collectionFormat'] : 'csv';
  }
  if (parameter['type'] === 'file') encoding.file = true;
  return encoding;
}

function fieldEncoding(declared: Encoding | undefined, schema: unknown): Encoding {
  const encoding: Encoding = { ...declared };
  const format = (schema as { format?: unknown } | null)?.format;
  if (format === 'binary' || encoding.file) encoding.file = true;
  return encoding;
}

function securityNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const first = value.find((requirement) => typeof requirement === 'object' && requirement !== null && Object.keys(requirement).length > 0);
  return first ? Object.keys(first as object) : [];
}
