/**
 * One JSON Schema for all of an operation's arguments, merging path, query and header
 * parameters with the request body, and where each argument goes in the request. Built only
 * when asked, since a big spec has a thousand operations.
 */
import type { ArgumentBinding, ArgumentPlace, Encoding, Operation } from './operationTypes';
import { parameterEncoding, parameterSchema } from './parameterDeclarations';
import type { RefResolver } from './refResolver';
import { toToolSchema, type SchemaBudget } from './toolSchema';

const IGNORED_HEADERS = /^(accept|content-type|authorization)$/i;

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

function fieldEncoding(declared: Encoding | undefined, schema: unknown): Encoding {
  const encoding: Encoding = { ...declared };
  const format = (schema as { format?: unknown } | null)?.format;
  if (format === 'binary' || encoding.file) encoding.file = true;
  return encoding;
}
