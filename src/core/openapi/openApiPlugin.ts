/**
 * OpenAPI tool plugins: a folder with an `ai-plugin.json`, or a spec listed under `tools:`
 * in config.yaml. Each operation becomes a tool; the plugin's settings are the secrets its
 * API needs and which operations to offer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PluginConfigProperty, PluginConfigSchema, PluginContext, ToolDefinition } from '../api';
import type { PluginCandidate } from '../plugins/discovery';
import { parseAiPluginManifest, type AiPluginManifest } from './aiPluginManifest';
import { applyAuth, defaultResponseLimits, prepareRequest, sendRequest, ToolCallError, type AuthRequirement, type ResponseLimits } from './httpCall';
import { argumentSchema, listOperations, toolDescription, type ArgumentBinding, type Operation } from './operations';
import { externalReferences, RefResolver } from './refResolver';
import { serverUrl } from './serverUrl';
import { parseSpec, parseText, SpecError, type SpecDocument } from './specDocument';

/** A spec listed in config.yaml rather than found through a manifest. */
export interface DeclaredSpec {
  spec: string;
  baseUrl?: string;
  auth?: { type: 'bearer' | 'basic' } | { type: 'apiKey'; in: 'header' | 'query'; name: string };
}

export type TextLoader = (location: string) => Promise<string>;

export interface PreparedOpenApiPlugin {
  configSchema: PluginConfigSchema;
  operations: Operation[];
  baseUrl: string;
  activate(context: PluginContext): void;
}

const MAX_EXTERNAL_DOCUMENTS = 50;

export async function prepareOpenApiPlugin(
  candidate: PluginCandidate,
  load: TextLoader = loadText,
  limits: ResponseLimits = defaultResponseLimits,
): Promise<PreparedOpenApiPlugin> {
  let manifest: AiPluginManifest | undefined;
  let specLocation: string;
  if (candidate.declaredSpec) {
    specLocation = candidate.entryPath;
  } else {
    manifest = parseAiPluginManifest(await load(candidate.entryPath), candidate.entryPath);
    specLocation = resolveSpecLocation(manifest.specUrl, candidate.entryPath);
  }
  // The text is not kept (the tools hold on to the spec for as long as the plugin is loaded,
  // and a big spec's text is tens of megabytes): its external references are read now.
  const specText = await load(specLocation);
  const spec = parseSpec(specText, specLocation);
  const resolver = new RefResolver(await loadDocuments(spec, externalReferences(specText, specLocation), load));
  const operations = listOperations(spec, resolver);
  const baseUrl = serverUrl(spec, candidate.declaredSpec?.baseUrl);
  if (!baseUrl) {
    throw new SpecError(specLocation, 'has no usable "servers" entry; give the API\'s address as "baseUrl" next to the spec in config.yaml');
  }
  const auth = authRequirements(spec, operations, manifest, candidate.declaredSpec);
  return {
    configSchema: settingsSchema(auth),
    operations,
    baseUrl,
    activate: (context) => {
      const chosen = chooseOperations(operations, context.config);
      const trustedOrigin = new URL(baseUrl).origin;
      for (const operation of chosen) {
        context.registerTool(operationTool(operation, {
          spec,
          resolver,
          baseUrl,
          override: candidate.declaredSpec?.baseUrl,
          trustedOrigin,
          auth: auth.get(operation),
          pluginDescription: manifest?.descriptionForModel,
          config: context.config,
          limits,
        }));
      }
      context.log.info(`${chosen.length} of ${operations.length} operations offered as tools (API at ${baseUrl})`);
    },
  };
}

interface ToolContext {
  spec: SpecDocument;
  resolver: RefResolver;
  baseUrl: string;
  /** The user's base URL from config.yaml: it wins over the spec's servers. */
  override: string | undefined;
  trustedOrigin: string;
  auth: AuthRequirement | undefined;
  pluginDescription: string | undefined;
  config: Readonly<Record<string, unknown>>;
  limits: ResponseLimits;
}

function operationTool(operation: Operation, context: ToolContext): ToolDefinition {
  let built: { schema: Record<string, unknown>; bindings: ArgumentBinding[] } | undefined;
  // The argument schema of a big API's operation can be large: build it when first needed.
  const arguments_ = () => (built ??= argumentSchema(operation, context.resolver));
  const operationBase = context.override ?? (operation.servers ? serverUrl(context.spec, undefined, operation.servers) : undefined) ?? context.baseUrl;
  const request = (args: Record<string, unknown>) =>
    prepareRequest(operation.method, operationBase, operation.path, arguments_().bindings, args, operation.body?.contentType);
  return {
    name: operation.toolName,
    description: toolDescription(operation, context.pluginDescription),
    get parameters() {
      return arguments_().schema;
    },
    describeCall(args) {
      try {
        const prepared = request(args);
        return { method: prepared.method, url: prepared.url.href };
      } catch {
        return { method: operation.method.toUpperCase(), url: `${operationBase}${operation.path}` };
      }
    },
    async invoke(args, call) {
      const prepared = request(args);
      if (context.auth) {
        const secret = context.config[context.auth.secretField];
        if (typeof secret !== 'string' || secret === '') {
          throw new ToolCallError(`this API needs "${context.auth.secretField}", which is not set; the user can set it with "Patchbay: Configure Plugin"`);
        }
        applyAuth(prepared, context.auth, secret, context.trustedOrigin);
      }
      return sendRequest(prepared, call.signal, context.limits);
    },
  };
}

/** `include` / `exclude` settings: tool names or operationIds, `*` as a wildcard. */
export function chooseOperations(operations: readonly Operation[], config: Readonly<Record<string, unknown>>): Operation[] {
  const include = stringList(config['include']);
  const exclude = stringList(config['exclude']);
  const matches = (patterns: string[], operation: Operation) =>
    patterns.some((pattern) => {
      const expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      return expression.test(operation.toolName) || (operation.operationId !== undefined && expression.test(operation.operationId));
    });
  return operations.filter((operation) => (include.length === 0 || matches(include, operation)) && !matches(exclude, operation));
}

function settingsSchema(auth: Map<Operation, AuthRequirement>): PluginConfigSchema {
  const properties: Record<string, PluginConfigProperty> = {
    include: { type: 'array', items: { type: 'string' }, description: 'Offer only these operations (tool names or operationIds; * matches anything). Empty: all.', default: [] },
    exclude: { type: 'array', items: { type: 'string' }, description: 'Never offer these operations (tool names or operationIds; * matches anything).', default: [] },
  };
  for (const requirement of new Set([...auth.values()].map((item) => item.secretField))) {
    properties[requirement] = { type: 'string', secret: true, description: 'The API credential, kept in VS Code secret storage and sent only to the API\'s own address.' };
  }
  return { type: 'object', additionalProperties: false, properties };
}

/** Which credential each operation needs: the manifest's for all, or the spec's schemes. */
function authRequirements(spec: SpecDocument, operations: readonly Operation[], manifest: AiPluginManifest | undefined, declared: DeclaredSpec | undefined): Map<Operation, AuthRequirement> {
  const result = new Map<Operation, AuthRequirement>();
  const forAll: AuthRequirement | undefined =
    manifest && manifest.auth.type !== 'none' ? { kind: manifest.auth.authorizationType, secretField: 'token' }
    : declared?.auth ? (declared.auth.type === 'apiKey' ? { kind: 'apiKey', in: declared.auth.in, name: declared.auth.name, secretField: 'token' } : { kind: declared.auth.type, secretField: 'token' })
    : undefined;
  const schemes = (spec.version === '2.0'
    ? spec.root['securityDefinitions']
    : (spec.root['components'] as { securitySchemes?: unknown } | undefined)?.securitySchemes) as Record<string, Record<string, unknown>> | undefined;
  for (const operation of operations) {
    if (forAll) {
      result.set(operation, forAll);
      continue;
    }
    for (const name of operation.security) {
      const requirement = schemeRequirement(name, schemes?.[name]);
      if (requirement) {
        result.set(operation, requirement);
        break;
      }
    }
  }
  return result;
}

function schemeRequirement(name: string, scheme: Record<string, unknown> | undefined): AuthRequirement | undefined {
  if (!scheme) return undefined;
  const secretField = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (scheme['type'] === 'apiKey') {
    const place = scheme['in'];
    return { kind: 'apiKey', in: place === 'query' || place === 'cookie' ? place : 'header', name: String(scheme['name'] ?? 'X-API-Key'), secretField };
  }
  if (scheme['type'] === 'http' && String(scheme['scheme']).toLowerCase() === 'bearer') return { kind: 'bearer', secretField };
  if ((scheme['type'] === 'http' && String(scheme['scheme']).toLowerCase() === 'basic') || scheme['type'] === 'basic') return { kind: 'basic', secretField };
  return undefined;
}

/** The other documents `$ref`s point to, loaded once; only from where the spec itself comes from. */
async function loadDocuments(spec: SpecDocument, references: readonly string[], load: TextLoader): Promise<Map<string, unknown>> {
  const documents = new Map<string, unknown>([[spec.location, spec.root]]);
  const pending = references.map((location) => ({ location, from: spec.location }));
  while (pending.length > 0) {
    const { location, from } = pending.shift()!;
    if (documents.has(location)) continue;
    if (documents.size > MAX_EXTERNAL_DOCUMENTS) throw new SpecError(spec.location, `refers to more than ${MAX_EXTERNAL_DOCUMENTS} other documents`);
    checkSameOrigin(location, spec.location, from);
    const text = await load(location);
    documents.set(location, parseText(text, location));
    for (const next of externalReferences(text, location)) pending.push({ location: next, from: location });
  }
  return documents;
}

function checkSameOrigin(location: string, specLocation: string, from: string): void {
  const remote = /^https?:\/\//i.test(location);
  const specRemote = /^https?:\/\//i.test(specLocation);
  if (remote !== specRemote || (remote && new URL(location).origin !== new URL(specLocation).origin)) {
    throw new SpecError(from, `refers to ${location}; references are followed only to the spec's own origin`);
  }
  if (!remote) {
    const relative = path.relative(path.dirname(specLocation), location);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new SpecError(from, `refers to ${location}, outside the spec's folder`);
  }
}

function resolveSpecLocation(specUrl: string, manifestPath: string): string {
  if (/^https?:\/\//i.test(specUrl)) return specUrl;
  // OpenAI manifests give the spec as a URL on the plugin's own host; a local plugin's spec
  // lives beside the manifest, so only the file name of such a URL's path is kept.
  return path.resolve(path.dirname(manifestPath), specUrl.replace(/^\/+/, ''));
}

/** Files are read from disk; URLs fetched with a time and size limit. */
export async function loadText(location: string): Promise<string> {
  if (!/^https?:\/\//i.test(location)) {
    try {
      return await readFile(location, 'utf8');
    } catch (error) {
      throw new SpecError(location, `cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  }
  const response = await fetch(location, { signal: AbortSignal.timeout(30_000), headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' } }).catch((error: unknown) => {
    throw new SpecError(location, `cannot be fetched: ${(error as Error).message}`);
  });
  if (!response.ok) throw new SpecError(location, `cannot be fetched: HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > 100_000_000) throw new SpecError(location, 'is larger than 100 MB');
  return text;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
