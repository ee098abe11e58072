/**
 * OpenAPI tool plugins: a folder with an `ai-plugin.json`, or a spec listed under `tools:`
 * in config.yaml. Each operation becomes a tool; the plugin's settings are the secrets its
 * API needs and which operations to offer.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { PluginConfigProperty, PluginConfigSchema, PluginContext, ToolDefinition } from '../api';
import type { PluginCandidate } from '../plugins/discovery';
import { parseAiPluginManifest, type AiPluginManifest } from './aiPluginManifest';
import { applyAuth, defaultResponseLimits, prepareRequest, sendRequest, ToolCallError, type AuthRequirement, type ToolCallOptions } from './httpCall';
import { argumentSchema, listOperations, toolDescription, type ArgumentBinding, type Operation } from './operations';
import { forbiddenAddressReason } from './forbiddenAddress';
import { externalReferences, RefResolver } from './refResolver';
import { serverUrl } from './serverUrl';
import { parseSpec, parseText, SpecError, type SpecDocument } from './specDocument';
import { checkInsideFolder, isRemote, specLoader, type TextLoader } from './specLoader';

export type { TextLoader } from './specLoader';

/** A spec listed in config.yaml rather than found through a manifest. */
export interface DeclaredSpec {
  spec: string;
  baseUrl?: string;
  auth?: { type: 'bearer' | 'basic' } | { type: 'apiKey'; in: 'header' | 'query'; name: string };
}

export interface PreparedOpenApiPlugin {
  configSchema: PluginConfigSchema;
  operations: Operation[];
  baseUrl: string;
  /** Problems that did not stop the plugin; logged when it activates. */
  warnings: string[];
  activate(context: PluginContext): void;
}

const MAX_EXTERNAL_DOCUMENTS = 50;

export async function prepareOpenApiPlugin(
  candidate: PluginCandidate,
  load: TextLoader = loadText,
  limits: ToolCallOptions = defaultResponseLimits,
): Promise<PreparedOpenApiPlugin> {
  let manifest: AiPluginManifest | undefined;
  let specLocation: string;
  const warnings: string[] = [];
  if (candidate.declaredSpec) {
    specLocation = candidate.entryPath;
  } else {
    manifest = parseAiPluginManifest(await load(candidate.entryPath), candidate.entryPath);
    if (manifest.originalNameForModel !== undefined) {
      warnings.push(`"name_for_model" is ${JSON.stringify(manifest.originalNameForModel)}, which has characters other than letters, digits and "_"; the model knows the plugin as "${manifest.nameForModel}"`);
    }
    specLocation = resolveSpecLocation(manifest.specUrl, candidate.entryPath);
    if (!isRemote(specLocation)) {
      await checkInsideFolder(specLocation, path.dirname(candidate.entryPath), (problem) =>
        new SpecError(candidate.entryPath, `"api.url" must name a file inside the plugin's folder: ${problem}`));
    }
  }
  // The text is not kept (the tools hold on to the spec for as long as the plugin is loaded,
  // and a big spec's text is tens of megabytes): its external references are read now.
  const specText = await load(specLocation).catch(async (error: unknown) => {
    throw manifest && isRemote(specLocation) ? await withLocalSpecHint(error, specLocation, candidate.entryPath) : error;
  });
  const spec = parseSpec(specText, specLocation);
  const resolver = new RefResolver(await loadDocuments(spec, externalReferences(specText, specLocation), load));
  const operations = listOperations(spec, resolver);
  const baseUrl = serverUrl(spec, candidate.declaredSpec?.baseUrl);
  if (!baseUrl) {
    throw new SpecError(specLocation, manifest
      ? `has no usable "servers" entry, and it was read from a file, so the API's address is unknown: add the API's address to the spec (servers: [{url: "http://127.0.0.1:8000"}]), or set "api.url" in ${path.basename(candidate.entryPath)} to the URL the running API serves its spec at (e.g. "http://127.0.0.1:8000/openapi.json")`
      : 'has no usable "servers" entry; give the API\'s address as "baseUrl" next to the spec in config.yaml');
  }
  checkApiAddresses(spec, baseUrl, operations, candidate.declaredSpec?.baseUrl);
  const auth = authRequirements(spec, operations, manifest, candidate.declaredSpec);
  const toolNames = manifest?.originalNameForModel !== undefined ? prefixedToolNames(operations, manifest.nameForModel) : undefined;
  return {
    configSchema: settingsSchema(auth),
    operations,
    baseUrl,
    warnings,
    activate: (context) => {
      for (const warning of warnings) context.log.warn(warning);
      const chosen = chooseOperations(operations, context.config, toolNames);
      const trustedOrigin = new URL(baseUrl).origin;
      for (const operation of chosen) {
        context.registerTool(operationTool(operation, {
          name: toolNames?.get(operation) ?? operation.toolName,
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
  name: string;
  spec: SpecDocument;
  resolver: RefResolver;
  baseUrl: string;
  /** The user's base URL from config.yaml: it wins over the spec's servers. */
  override: string | undefined;
  trustedOrigin: string;
  auth: AuthRequirement | undefined;
  pluginDescription: string | undefined;
  config: Readonly<Record<string, unknown>>;
  limits: ToolCallOptions;
}

function operationTool(operation: Operation, context: ToolContext): ToolDefinition {
  let built: { schema: Record<string, unknown>; bindings: ArgumentBinding[] } | undefined;
  // The argument schema of a big API's operation can be large: build it when first needed.
  const arguments_ = () => (built ??= argumentSchema(operation, context.resolver));
  const operationBase = context.override ?? (operation.servers ? serverUrl(context.spec, undefined, operation.servers) : undefined) ?? context.baseUrl;
  const request = (args: Record<string, unknown>) =>
    prepareRequest(operation.method, operationBase, operation.path, arguments_().bindings, args, operation.body?.contentType);
  return {
    name: context.name,
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
export function chooseOperations(operations: readonly Operation[], config: Readonly<Record<string, unknown>>, toolNames?: ReadonlyMap<Operation, string>): Operation[] {
  const include = stringList(config['include']);
  const exclude = stringList(config['exclude']);
  const matches = (patterns: string[], operation: Operation) =>
    patterns.some((pattern) => {
      const expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      const prefixed = toolNames?.get(operation);
      return expression.test(operation.toolName) || (prefixed !== undefined && expression.test(prefixed)) || (operation.operationId !== undefined && expression.test(operation.operationId));
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

/**
 * The tools of a plugin whose `name_for_model` had to be made valid (OpenAssistant's plugins
 * say "Web Retriever") are named "<name>_<operation>": ChatGPT-style plugins were shown to the
 * model inside the plugin's namespace, and an operation called "get_instructions" says little
 * on its own among other plugins' tools. Such a plugin did not load before, so no setting or
 * habit refers to its plain names; plugins with a valid name keep theirs. Only when every name
 * stays valid (64 characters at most) and distinct; otherwise the plain names are kept.
 */
function prefixedToolNames(operations: readonly Operation[], modelName: string): Map<Operation, string> | undefined {
  const names = new Map<Operation, string>();
  for (const operation of operations) {
    const name = operation.toolName.toLowerCase().startsWith(`${modelName.toLowerCase()}_`) ? operation.toolName : `${modelName}_${operation.toolName}`;
    if (name.length > 64) return undefined;
    names.set(operation, name);
  }
  return new Set(names.values()).size === names.size ? names : undefined;
}

/** Refuses an API whose address is link-local or a cloud metadata service. */
function checkApiAddresses(spec: SpecDocument, baseUrl: string, operations: readonly Operation[], override: string | undefined): void {
  const addresses = [baseUrl, ...(override ? [] : operations.flatMap((operation) => (operation.servers ? [serverUrl(spec, undefined, operation.servers)] : [])))];
  for (const address of addresses) {
    if (address === undefined) continue;
    const reason = forbiddenAddressReason(new URL(address).hostname);
    if (reason) throw new SpecError(spec.location, `gives the API's address as ${address}, ${reason}; Patchbay does not send tool calls there`);
  }
}

/** When the spec URL cannot be fetched but a spec file lies beside the manifest, says so. */
async function withLocalSpecHint(error: unknown, specUrl: string, manifestPath: string): Promise<unknown> {
  if (!(error instanceof SpecError)) return error;
  const folder = path.dirname(manifestPath);
  const urlFileName = new URL(specUrl).pathname.split('/').filter(Boolean).at(-1);
  const names = [...new Set([urlFileName, 'openapi.json', 'openapi.yaml', 'openapi.yml'].filter((name): name is string => !!name && /\.(json|ya?ml)$/i.test(name)))];
  for (const name of names) {
    const found = await access(path.join(folder, name)).then(() => true, () => false);
    if (found) return new SpecError(error.location, `${error.message.slice(error.location.length + 2)}. ${name} lies next to ${path.basename(manifestPath)}: set "api.url": "${name}" to load the spec from there`);
  }
  return error;
}

/** The other documents `$ref`s point to, loaded once; only from where the spec itself comes from. */
async function loadDocuments(spec: SpecDocument, references: readonly string[], load: TextLoader): Promise<Map<string, unknown>> {
  const documents = new Map<string, unknown>([[spec.location, spec.root]]);
  const pending = references.map((location) => ({ location, from: spec.location }));
  while (pending.length > 0) {
    const { location, from } = pending.shift()!;
    if (documents.has(location)) continue;
    if (documents.size > MAX_EXTERNAL_DOCUMENTS) throw new SpecError(spec.location, `refers to more than ${MAX_EXTERNAL_DOCUMENTS} other documents`);
    await checkSameOrigin(location, spec.location, from);
    const text = await load(location);
    documents.set(location, parseText(text, location));
    for (const next of externalReferences(text, location)) pending.push({ location: next, from: location });
  }
  return documents;
}

async function checkSameOrigin(location: string, specLocation: string, from: string): Promise<void> {
  const remote = /^https?:\/\//i.test(location);
  const specRemote = /^https?:\/\//i.test(specLocation);
  if (remote !== specRemote || (remote && new URL(location).origin !== new URL(specLocation).origin)) {
    throw new SpecError(from, `refers to ${location}; references are followed only to the spec's own origin`);
  }
  if (!remote) await checkInsideFolder(location, path.dirname(specLocation), (problem) => new SpecError(from, `refers to a file outside the spec's folder: ${problem}`));
}

function resolveSpecLocation(specUrl: string, manifestPath: string): string {
  if (/^https?:\/\//i.test(specUrl)) return specUrl;
  // OpenAI manifests give the spec as a URL on the plugin's own host; a local plugin's spec
  // lives beside the manifest, so only the file name of such a URL's path is kept.
  return path.resolve(path.dirname(manifestPath), specUrl.replace(/^\/+/, ''));
}

/** Files are read from disk; URLs fetched through the guarded fetch, with a time and size limit. */
export const loadText: TextLoader = specLoader();

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
