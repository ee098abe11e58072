/**
 * OpenAPI schemas -> the JSON Schema a model sees for a tool's arguments. References are
 * inlined for this one schema only; cycles and deep nesting are cut with a note; OpenAPI
 * 3.0's `nullable` and Swagger 2.0's `file` become JSON Schema; documentation-only and
 * response-only parts (readOnly properties, xml, discriminator...) are left out.
 */
import { isRef, type RefResolver } from './refResolver';

export interface SchemaBudget {
  /** Nesting deeper than this is summarised. */
  maxDepth: number;
  /** Schema objects in one tool's arguments; past this, the rest is summarised. */
  maxNodes: number;
}

export const defaultSchemaBudget: SchemaBudget = { maxDepth: 8, maxNodes: 1500 };

const DROPPED_KEYWORDS = new Set(['xml', 'externalDocs', 'discriminator', 'example', 'examples', '$schema', '$id', '$comment', 'readOnly', 'writeOnly', 'deprecated', 'nullable', 'collectionFormat', 'in', 'name', 'allowEmptyValue', 'style', 'explode', 'allowReserved', 'content']);
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
      if (typeof current['type'] === 'string') summary['type'] = current['type'];
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
    if (current['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['required']) && typeof out['properties'] === 'object') {
      const properties = out['properties'] as Record<string, unknown>;
      out['required'] = (out['required'] as unknown[]).filter((name) => typeof name === 'string' && Object.hasOwn(properties, name));
      if ((out['required'] as unknown[]).length === 0) delete out['required'];
    }
    return out;
  };
  const result = convert(schema, location, 0, []);
  return typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
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
