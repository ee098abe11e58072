/**
 * OpenAPI schemas -> the JSON Schema a model sees for a tool's arguments, and its arguments
 * are checked against (draft-07, see util/schemaValidator.ts). References are inlined for
 * this one schema only; cycles and deep nesting are cut with a note; OpenAPI 3.0's
 * `nullable` and boolean `exclusiveMinimum`/`exclusiveMaximum`, Swagger 2.0's `file` and
 * `x-nullable`, and 3.1's (JSON Schema 2020-12) `prefixItems` and `dependentRequired` become
 * their draft-07 forms; keywords no validator could compile (a pattern JavaScript cannot
 * read, a type that does not exist) are left out; documentation-only and response-only parts
 * (readOnly properties, xml, discriminator, examples...) are left out.
 */
import { isRef, type RefResolver } from './refResolver';

export interface SchemaBudget {
  /** Nesting deeper than this is summarised. */
  maxDepth: number;
  /** Schema objects in one tool's arguments; past this, the rest is summarised. */
  maxNodes: number;
}

export const defaultSchemaBudget: SchemaBudget = { maxDepth: 8, maxNodes: 1500 };

// `$defs` and `definitions` go too: every reference into them is inlined.
const DROPPED_KEYWORDS = new Set(['xml', 'externalDocs', 'discriminator', 'example', 'examples', '$schema', '$id', '$comment', '$anchor', '$dynamicAnchor', '$dynamicRef', '$vocabulary', '$defs', 'definitions', 'readOnly', 'writeOnly', 'deprecated', 'nullable', 'collectionFormat', 'in', 'name', 'allowEmptyValue', 'style', 'explode', 'allowReserved', 'content']);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);

export function toToolSchema(schema: unknown, location: string, resolver: RefResolver, budget: SchemaBudget = defaultSchemaBudget): Record<string, unknown> {
  let nodes = 0;
  const convert = (node: unknown, from: string, depth: number, path: readonly string[]): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    let current = node as Record<string, unknown>;
    let base = from;
    let trail = path;
    const description = typeof current['description'] === 'string' ? current['description'] : undefined;
    while (isRef(current)) {
      const target = resolver.lookup(current.$ref, base);
      const name = target.key.split('/').at(-1) ?? target.key;
      if (trail.includes(target.key)) return { description: `${description ? `${description} ` : ''}(a ${name} again; nested fields omitted)` };
      trail = [...trail, target.key];
      base = target.location;
      if (typeof target.value !== 'object' || target.value === null) return target.value;
      current = target.value as Record<string, unknown>;
    }
    nodes++;
    if (depth > budget.maxDepth || nodes > budget.maxNodes) {
      const summary: Record<string, unknown> = { description: `${description ?? stringOr(current['description']) ?? ''} (nested fields omitted)`.trim() };
      if (typeof current['type'] === 'string' && JSON_TYPES.has(current['type'])) summary['type'] = current['type'];
      return summary;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(current)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null) {
        const map: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
          if (key === 'properties' && isReadOnly(child, base, resolver)) continue;
          map[name] = convert(child, base, depth + 1, trail);
        }
        out[key] = map;
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
        out[key] = value.map((child) => convert(child, base, depth + 1, trail));
      } else if (SCHEMA_VALUES.has(key) && typeof value === 'object' && value !== null) {
        out[key] = convert(value, base, depth + 1, trail);
      } else {
        out[key] = value;
      }
    }
    if (description !== undefined) out['description'] = description;
    if (out['type'] === 'file') {
      out['type'] = 'string';
      out['format'] = 'binary';
    }
    toDraft07(out);
    if (Array.isArray(out['required']) && typeof out['properties'] === 'object') {
      const properties = out['properties'] as Record<string, unknown>;
      out['required'] = (out['required'] as unknown[]).filter((name) => typeof name === 'string' && Object.hasOwn(properties, name));
      if ((out['required'] as unknown[]).length === 0) delete out['required'];
    }
    if (current['nullable'] === true || current['x-nullable'] === true) return withNull(out);
    return out;
  };
  const result = convert(schema, location, 0, []);
  return typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
}

/** Rewrites one schema node's keywords into what a draft-07 validator compiles and checks. */
function toDraft07(out: Record<string, unknown>): void {
  for (const keyword of NUMBER_KEYWORDS) {
    const value = out[keyword];
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) out[keyword] = Number(value);
  }
  // OpenAPI 3.0 / Swagger 2.0: `exclusiveMinimum: true` qualifies `minimum`.
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
  }
  for (const keyword of NUMBER_KEYWORDS) if (keyword in out && typeof out[keyword] !== 'number') delete out[keyword];
  if (typeof out['type'] === 'string' && !JSON_TYPES.has(out['type'])) delete out['type'];
  if (Array.isArray(out['type'])) {
    const types = out['type'].filter((type) => typeof type === 'string' && JSON_TYPES.has(type));
    if (types.length > 0) out['type'] = types;
    else delete out['type'];
  }
  if ('required' in out && !Array.isArray(out['required'])) delete out['required'];
  if ('enum' in out && (!Array.isArray(out['enum']) || out['enum'].length === 0)) delete out['enum'];
  if (typeof out['pattern'] === 'string' && !isJavaScriptPattern(out['pattern'])) {
    // Kept for the model to read; the API checks it.
    out['description'] = `${typeof out['description'] === 'string' ? `${out['description']} ` : ''}(matches the pattern ${out['pattern']})`;
    delete out['pattern'];
  } else if ('pattern' in out && typeof out['pattern'] !== 'string') {
    delete out['pattern'];
  }
  // JSON Schema 2020-12 (OpenAPI 3.1) tuples and dependencies.
  if (Array.isArray(out['prefixItems'])) {
    const rest = out['items'];
    out['items'] = out['prefixItems'];
    delete out['prefixItems'];
    if (rest !== undefined) out['additionalItems'] = rest;
  }
  for (const keyword of ['dependentRequired', 'dependentSchemas']) {
    const value = out[keyword];
    delete out[keyword];
    if (typeof value === 'object' && value !== null) out['dependencies'] = { ...(out['dependencies'] as object | undefined), ...value };
  }
}

/** OpenAPI 3.0's `nullable: true` (Swagger 2.0's `x-nullable`): null is allowed too. */
function withNull(out: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
  } else if (Array.isArray(out['type'])) {
    if (!out['type'].includes('null')) out['type'] = [...out['type'], 'null'];
  } else if (out['allOf'] !== undefined || out['anyOf'] !== undefined || out['oneOf'] !== undefined) {
    const { description, ...rest } = out;
    return { ...(description !== undefined ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

function isJavaScriptPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function isReadOnly(schema: unknown, from: string, resolver: RefResolver): boolean {
  try {
    const target = resolver.follow(schema, from).value as { readOnly?: unknown } | null;
    return target?.readOnly === true;
  } catch {
    return false;
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
