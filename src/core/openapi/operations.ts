/**
 * The operations of an OpenAPI description, each ready to become a tool: a valid, unique
 * name; a description within a budget; its parameters, body and security schemes read from
 * either spec version. Its arguments' schema is built in argumentSchema.ts.
 */
import { createHash } from 'node:crypto';
import { HTTP_METHODS, type Encoding, type HttpMethod, type Operation, type ParameterObject } from './operationTypes';
import { parameterEncoding, parameterSchema } from './parameterDeclarations';
import type { RefResolver } from './refResolver';
import type { SpecDocument } from './specDocument';

export { argumentSchema } from './argumentSchema';
export { HTTP_METHODS, type ArgumentBinding, type ArgumentPlace, type Encoding, type HttpMethod, type Operation, type ParameterObject } from './operationTypes';

/** fetch refuses to send TRACE at all, and a GET or HEAD with a body. */
const UNSENDABLE_METHODS: ReadonlySet<HttpMethod> = new Set(['trace']);
const BODYLESS_METHODS: ReadonlySet<HttpMethod> = new Set(['get', 'head']);

const MAX_NAME = 64;
const JSON_TYPES = /^application\/([\w.+-]*\+)?json\b/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

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

function securityNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const first = value.find((requirement) => typeof requirement === 'object' && requirement !== null && Object.keys(requirement).length > 0);
  return first ? Object.keys(first as object) : [];
}
