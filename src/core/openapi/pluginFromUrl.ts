/**
 * "Add Tool Plugin from URL": an `ai-plugin.json` (given directly, or found at a site's
 * `/.well-known/ai-plugin.json`) and its OpenAPI spec are fetched through the guarded fetch
 * (size caps, no link-local or metadata addresses, redirects only within an origin), written
 * into a hidden staging folder beside the global plugins (discovery skips dot-folders), and
 * loaded from there by the same OpenAPI loader that will load the plugin, so what the user
 * is shown — tools, credentials, the API's origin — is what will run. Saving moves the staged
 * folder into place; an existing plugin folder is replaced only when the caller says so.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PluginLogger } from '../api';
import { ContributionRegistry } from '../plugins/contributionRegistry';
import type { PluginCandidate } from '../plugins/pluginCandidate';
import { createPluginContext } from '../plugins/pluginContext';
import { DisposableStore } from '../util/disposables';
import { parseJsonFile } from '../util/jsonText';
import { yaml } from '../util/lazyModules';
import { parseAiPluginManifest } from './aiPluginManifest';
import type { HostResolver } from './guardedFetch';
import { prepareOpenApiPlugin } from './openApiPlugin';
import { externalReferences } from './refResolver';
import type { AuthRequirement } from './requestAuth';
import { serverUrl } from './serverUrl';
import { parseSpec, SpecError, type SpecDocument } from './specDocument';
import { specLoader } from './specLoader';

export class PluginFromUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginFromUrlError';
  }
}

export interface FetchOptions {
  /** Where plugins are saved (the global plugins folder); the staging folder goes inside it. */
  pluginsFolder: string;
  resolveHost?: HostResolver;
  timeoutMs?: number;
  /** Largest manifest read (default 1 MB). */
  maxManifestBytes?: number;
  /** Largest spec read (default 100 MB, as for any spec). */
  maxSpecBytes?: number;
}

export interface FetchedToolPlugin {
  manifestUrl: string;
  specUrl: string;
  /** `name_for_model`: the folder it is saved in, and so its id. */
  folderName: string;
  nameForHuman: string;
  /** The tools the model would be offered, by name. */
  tools: string[];
  /** What credentials the API asks for, in words ("none", "bearer token"…). */
  auth: string;
  /** Where tool calls go. */
  apiOrigin: string;
  /** True when the spec refers to other documents, so it is read from its URL at each load instead of saved. */
  specStaysRemote: boolean;
  /** The folder holding what would be saved. */
  staged: string;
}

const MANIFEST_FILE = 'ai-plugin.json';
const WELL_KNOWN = '/.well-known/ai-plugin.json';

/** The manifest's URL: the given one when it names a `.json` file, else the site's well-known manifest. */
export function manifestUrlOf(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PluginFromUrlError(`"${text}" is not a URL; give the address of an ai-plugin.json, or of a site that serves one at ${WELL_KNOWN}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PluginFromUrlError(`${url.protocol} URLs are not fetched; give an http: or https: address`);
  if (url.username || url.password) throw new PluginFromUrlError('a URL with a user name or password is not fetched; the manifest and spec must be public');
  url.hash = '';
  return /\.json$/i.test(url.pathname) ? url.href : new URL(WELL_KNOWN, url).href;
}

/** Fetches, stages and checks the plugin; nothing is in the plugins folder proper yet. */
export async function fetchToolPlugin(input: string, options: FetchOptions): Promise<FetchedToolPlugin> {
  const manifestUrl = manifestUrlOf(input);
  const limits = { ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  const manifestText = await specLoader({ ...limits, maxBytes: options.maxManifestBytes ?? 1_000_000 })(manifestUrl).catch((error: unknown) => {
    if (error instanceof SpecError && manifestUrl.endsWith(WELL_KNOWN) && /HTTP 404/.test(error.message)) {
      throw new PluginFromUrlError(`${error.message}; the site serves no ${WELL_KNOWN} — give the full URL of its ai-plugin.json`);
    }
    throw error;
  });
  const manifest = parseAiPluginManifest(manifestText, manifestUrl);
  const specUrl = new URL(manifest.specUrl, manifestUrl).href;
  if (!/^https?:/i.test(specUrl)) throw new SpecError(manifestUrl, `"api.url" must be an http: or https: URL (got ${JSON.stringify(manifest.specUrl)})`);
  const specText = await specLoader({ ...limits, ...(options.maxSpecBytes ? { maxBytes: options.maxSpecBytes } : {}) })(specUrl);
  const spec = parseSpec(specText, specUrl);
  // Relative references would point at files that are not saved: such a spec stays at its URL.
  const specStaysRemote = externalReferences(specText, specUrl).length > 0;
  const apiAddress = serverUrl(spec, undefined);
  if (!apiAddress) throw new SpecError(specUrl, 'has no usable "servers" entry, so the API\'s address is unknown');

  await mkdir(options.pluginsFolder, { recursive: true });
  const staged = await mkdtemp(path.join(options.pluginsFolder, '.adding-'));
  try {
    let savedSpecUrl = specUrl;
    if (!specStaysRemote) {
      const json = /^\s*[{[]/.test(specText.replace(/^\uFEFF/, ''));
      savedSpecUrl = json ? 'openapi.json' : 'openapi.yaml';
      await writeFile(path.join(staged, savedSpecUrl), specWithAddress(specText, spec, apiAddress, json));
    }
    const rawManifest = parseJsonFile(manifestText) as Record<string, unknown>;
    const savedManifest = { ...rawManifest, api: { ...(rawManifest['api'] as Record<string, unknown>), url: savedSpecUrl } };
    await writeFile(path.join(staged, MANIFEST_FILE), `${JSON.stringify(savedManifest, null, 2)}\n`);
    const candidate: PluginCandidate = { id: manifest.nameForModel, displayName: manifest.nameForHuman, source: 'global', kind: 'openapi', location: staged, entryPath: path.join(staged, MANIFEST_FILE) };
    const prepared = await prepareOpenApiPlugin(candidate, specLoader(limits));
    return {
      manifestUrl,
      specUrl,
      folderName: manifest.nameForModel,
      nameForHuman: manifest.nameForHuman,
      tools: toolNames(candidate, prepared.activate),
      auth: describeAuth(new Set(prepared.auth.values())),
      apiOrigin: new URL(prepared.baseUrl).origin,
      specStaysRemote,
      staged,
    };
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    throw namedByUrl(error, staged, manifestUrl, specUrl);
  }
}

/** A problem found in the staged files, told by the URLs the user knows them by. */
function namedByUrl(error: unknown, staged: string, manifestUrl: string, specUrl: string): unknown {
  if (!(error instanceof Error) || !error.message.includes(staged)) return error;
  const message = error.message
    .replaceAll(path.join(staged, MANIFEST_FILE), manifestUrl)
    .replaceAll(path.join(staged, 'openapi.json'), specUrl)
    .replaceAll(path.join(staged, 'openapi.yaml'), specUrl);
  return new PluginFromUrlError(message);
}

/** Whether a plugin folder of that name exists already. */
export async function pluginFolderExists(fetched: Pick<FetchedToolPlugin, 'folderName'>, pluginsFolder: string): Promise<boolean> {
  return access(path.join(pluginsFolder, fetched.folderName)).then(() => true, () => false);
}

/**
 * Moves the staged plugin into the plugins folder and returns its folder. An existing folder
 * of that name is refused unless `replace`; replaced, it is moved aside first and put back if
 * the move fails, so nothing is lost.
 */
export async function saveToolPlugin(fetched: FetchedToolPlugin, pluginsFolder: string, { replace }: { replace: boolean }): Promise<string> {
  const target = path.join(pluginsFolder, fetched.folderName);
  if (!(await pluginFolderExists(fetched, pluginsFolder))) {
    await rename(fetched.staged, target);
    return target;
  }
  if (!replace) throw new PluginFromUrlError(`${target} exists already; it was left as it is`);
  const aside = path.join(pluginsFolder, `.replaced-${fetched.folderName}-${randomBytes(4).toString('hex')}`);
  await rename(target, aside);
  try {
    await rename(fetched.staged, target);
  } catch (error) {
    await rename(aside, target);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
  return target;
}

/** Removes what was staged (the user did not add it). */
export async function discardToolPlugin(fetched: Pick<FetchedToolPlugin, 'staged'>): Promise<void> {
  await rm(fetched.staged, { recursive: true, force: true });
}

/**
 * The spec as it will be read from a file: one read from a file has no URL to resolve a
 * relative (or missing) server address against, so the address it had at its URL is written
 * into it when it would read differently from there.
 */
function specWithAddress(text: string, spec: SpecDocument, address: string, json: boolean): string {
  const asFile: SpecDocument = { ...spec, location: path.join(path.sep, 'spec', json ? 'openapi.json' : 'openapi.yaml') };
  if (serverUrl(asFile, undefined) === address) return text;
  const url = new URL(address);
  const changes: Record<string, unknown> = spec.version === '2.0'
    ? { host: url.host, basePath: url.pathname === '/' ? '/' : url.pathname, schemes: [url.protocol.slice(0, -1)] }
    : { servers: [{ url: address }] };
  if (json) return `${JSON.stringify({ ...spec.root, ...changes }, null, 2)}\n`;
  const document = yaml().parseDocument(text);
  for (const [key, value] of Object.entries(changes)) document.set(key, value);
  return document.toString();
}

/** The tools' names, as the plugin registers them once loaded. */
function toolNames(candidate: PluginCandidate, activate: (context: ReturnType<typeof createPluginContext>) => void): string[] {
  const registry = new ContributionRegistry();
  const quiet: PluginLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const registrations = new DisposableStore();
  activate(createPluginContext(registry, undefined, { id: candidate.id, source: 'global', location: candidate.location }, quiet, {}, new AbortController().signal, registrations, () => true));
  const names = registry.tools().map((tool) => tool.definition.name);
  registrations.dispose();
  return names;
}

function describeAuth(requirements: ReadonlySet<AuthRequirement>): string {
  if (requirements.size === 0) return 'none';
  const kinds = new Set(
    [...requirements].map((requirement) => {
      switch (requirement.kind) {
        case 'bearer':
          return 'a bearer token';
        case 'basic':
          return 'a user name and password (HTTP basic)';
        case 'apiKey':
          return `an API key (${requirement.in ?? 'header'} "${requirement.name ?? ''}")`;
      }
    }),
  );
  return [...kinds].join(', ');
}
