/**
 * OpenAI's plugin manifest (`ai-plugin.json`): which spec to load, how the model should
 * think of the API, and how it authenticates. Every problem names the field.
 */
import path from 'node:path';
import { SpecError } from './specDocument';
import { parseJsonFile } from '../util/jsonText';

export interface AiPluginManifest {
  /** `name_for_model` made valid (letters, digits, underscores, at most 64). */
  nameForModel: string;
  /** `name_for_model` as written, when it had to be changed to be valid. */
  originalNameForModel?: string;
  nameForHuman: string;
  descriptionForModel: string;
  /** A file path relative to the manifest, or a URL. */
  specUrl: string;
  auth: ManifestAuth;
}

export type ManifestAuth = { type: 'none' } | { type: 'service_http' | 'user_http'; authorizationType: 'bearer' | 'basic' };

export function parseAiPluginManifest(text: string, location: string): AiPluginManifest {
  let raw: unknown;
  try {
    raw = parseJsonFile(text);
  } catch (error) {
    throw new SpecError(location, `is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new SpecError(location, 'must hold a JSON object');
  const manifest = raw as Record<string, unknown>;
  const field = (name: string): string => {
    const value = manifest[name];
    if (typeof value !== 'string' || value.trim() === '') throw new SpecError(location, `"${name}" must be a non-empty string`);
    return value.trim();
  };
  const api = manifest['api'] as { type?: unknown; url?: unknown } | undefined;
  if (typeof api !== 'object' || api === null || typeof api.url !== 'string' || api.url.trim() === '') {
    throw new SpecError(location, '"api.url" must name the OpenAPI spec (a file beside the manifest, or a URL)');
  }
  // Manifests in the wild write "OpenAPI" and "Bearer" as often as the documented lower case.
  if (api.type !== undefined && String(api.type).toLowerCase() !== 'openapi') throw new SpecError(location, `"api.type" must be "openapi" (got ${JSON.stringify(api.type)})`);
  const written = field('name_for_model');
  const nameForModel = validModelName(written) || validModelName(path.basename(path.dirname(location))) || 'plugin';
  return {
    nameForModel,
    ...(nameForModel !== written ? { originalNameForModel: written } : {}),
    nameForHuman: typeof manifest['name_for_human'] === 'string' ? manifest['name_for_human'] : nameForModel,
    descriptionForModel: field('description_for_model'),
    specUrl: api.url.trim(),
    auth: parseAuth(manifest['auth'], location),
  };
}

/**
 * A name of letters, digits and underscores from what the manifest says: OpenAssistant's
 * plugins, for one, write "Web Retriever". Accents are dropped, other characters become "_".
 */
function validModelName(written: string): string {
  return written
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
}

function parseAuth(value: unknown, location: string): ManifestAuth {
  if (value === undefined) return { type: 'none' };
  const auth = value as { type?: unknown; authorization_type?: unknown } | null;
  switch (auth?.type) {
    case 'none':
      return { type: 'none' };
    case 'service_http':
    case 'user_http': {
      const kind = typeof auth.authorization_type === 'string' ? auth.authorization_type.toLowerCase() : auth.authorization_type ?? 'bearer';
      if (kind !== 'bearer' && kind !== 'basic') throw new SpecError(location, `"auth.authorization_type" must be "bearer" or "basic" (got ${JSON.stringify(kind)})`);
      return { type: auth.type, authorizationType: kind };
    }
    case 'oauth':
      throw new SpecError(location, '"auth.type": "oauth" is not supported; use a bearer token ("user_http") instead');
    default:
      throw new SpecError(location, `"auth.type" must be "none", "service_http" or "user_http" (got ${JSON.stringify(auth?.type)})`);
  }
}
