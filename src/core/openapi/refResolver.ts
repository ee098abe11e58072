/**
 * `$ref` resolution done lazily and safely: only what one operation refers to is followed,
 * never the whole document (the GitHub description would expand to tens of megabytes);
 * a reference cycle or a very deep schema is cut off with a note instead of looping; and
 * references to other documents are followed only where the spec itself comes from.
 */
import path from 'node:path';
import { SpecError } from './specDocument';

export interface Resolved {
  value: unknown;
  /** The document the value is in: the base for references inside it. */
  location: string;
  /** Identifies the target, to notice cycles. */
  key: string;
}

export class RefResolver {
  /** The same few components are referenced by hundreds of operations in a big API. */
  private readonly resolved = new Map<string, Resolved>();

  constructor(private readonly documents: ReadonlyMap<string, unknown>) {}

  lookup(ref: string, from: string): Resolved {
    const cacheKey = `${from}\u0000${ref}`;
    const known = this.resolved.get(cacheKey);
    if (known) return known;
    const result = this.resolve(ref, from);
    this.resolved.set(cacheKey, result);
    return result;
  }

  private resolve(ref: string, from: string): Resolved {
    const hash = ref.indexOf('#');
    const documentPart = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = hash === -1 ? '' : ref.slice(hash + 1);
    const location = documentPart === '' ? from : resolveLocation(documentPart, from);
    const document = this.documents.get(location);
    if (document === undefined) throw new SpecError(from, `$ref "${ref}" points to a document that was not loaded (${location})`);
    let value: unknown = document;
    for (const token of pointerTokens(pointer)) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, token)) {
        throw new SpecError(from, `$ref "${ref}" points to nothing`);
      }
      value = (value as Record<string, unknown>)[token];
    }
    return { value, location, key: `${location}#${pointer}` };
  }

  /** Follows `$ref`s until a real object; a cycle of pure references is an error. */
  follow(value: unknown, location: string): Resolved {
    let current: Resolved = { value, location, key: '' };
    const seen = new Set<string>();
    while (isRef(current.value)) {
      current = this.lookup(current.value.$ref, current.location);
      if (seen.has(current.key)) throw new SpecError(location, `$ref cycle through ${current.key}`);
      seen.add(current.key);
    }
    return current;
  }
}

export function isRef(value: unknown): value is { $ref: string } {
  return typeof value === 'object' && value !== null && typeof (value as { $ref?: unknown }).$ref === 'string';
}

/** Relative references resolve against the referring document: a URL, or a file path. */
export function resolveLocation(reference: string, from: string): string {
  if (/^https?:\/\//i.test(from) || /^https?:\/\//i.test(reference)) return new URL(reference, /^https?:\/\//i.test(from) ? from : undefined).href.replace(/#.*$/, '');
  return path.resolve(path.dirname(from), decodeURIComponent(reference));
}

function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * The documents other than the spec itself that `$ref`s name, found by scanning the text
 * (cheaper than walking a parsed 13 MB tree).
 */
export function externalReferences(text: string, from: string): string[] {
  const found = new Set<string>();
  // Starts with the literal "$ref", which the regex engine can scan for quickly: the text may be
  // tens of megabytes.
  for (const match of text.matchAll(/\$ref["']?\s*:\s*["']?([^"'\s#,}][^"'\s#,}]*)/g)) {
    const reference = match[1];
    if (reference) found.add(resolveLocation(reference, from));
  }
  return [...found];
}
