/**
 * What a parameter declares about its value: its schema (OpenAPI 3 nests it, Swagger 2.0 puts
 * the type on the parameter) and how the value is written into the request.
 */
import type { Encoding, ParameterObject } from './operationTypes';

/** OpenAPI 3 parameters carry a `schema`; Swagger 2.0 ones carry the type themselves. */
export function parameterSchema(parameter: ParameterObject): unknown {
  if (parameter.schema !== undefined) return parameter.schema;
  const content = parameter['content'];
  if (typeof content === 'object' && content !== null) {
    const first = Object.values(content as Record<string, { schema?: unknown }>)[0];
    if (first?.schema !== undefined) return first.schema;
  }
  const { name: _name, in: _in, required: _required, description: _description, ...typeFields } = parameter;
  return typeFields;
}

/** What a parameter (or a form field's Encoding Object) says about how its value is written. */
export function parameterEncoding(parameter: Record<string, unknown> | null | undefined): Encoding {
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
