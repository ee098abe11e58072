/**
 * OpenAPI tool plugins: a folder with an `ai-plugin.json`, or a spec listed under `tools:`
 * in config.yaml. Each operation becomes a tool; the plugin's settings are the secrets its
 * API needs and which operations to offer.
 */
import path from 'node:path';
import type { PluginConfigSchema, PluginContext } from '../api';
import type { PluginCandidate } from '../plugins/pluginCandidate';
import { parseAiPluginManifest, type AiPluginManifest } from './aiPluginManifest';
import { authRequirements } from './credentialRequirements';
import { forbiddenAddressReason } from './forbiddenAddress';
import { defaultResponseLimits, type ToolCallOptions } from './httpCall';
import { chooseOperations, settingsSchema } from './operationSettings';
import { operationTool, prefixedToolNames } from './operationTool';
import { listOperations, type Operation } from './operations';
import { loadDocuments } from './referencedDocuments';
import { externalReferences, RefResolver } from './refResolver';
import type { AuthRequirement } from './requestAuth';
import { serverUrl } from './serverUrl';
import { parseSpec, SpecError, type SpecDocument } from './specDocument';
import { resolveSpecLocation, withLocalSpecHint } from './specLocation';
import { checkInsideFolder, isRemote, specLoader, type TextLoader } from './specLoader';

export type { TextLoader } from './specLoader';
export type { DeclaredSpec } from '../plugins/pluginCandidate';
export { chooseOperations } from './operationSettings';

export interface PreparedOpenApiPlugin {
  configSchema: PluginConfigSchema;
  operations: Operation[];
  baseUrl: string;
  /** The credential each operation needs (none: not in the map). */
  auth: ReadonlyMap<Operation, AuthRequirement>;
  /** Problems that did not stop the plugin; logged when it activates. */
  warnings: string[];
  activate(context: PluginContext): void;
}

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
    auth,
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

/** Refuses an API whose address is link-local or a cloud metadata service. */
function checkApiAddresses(spec: SpecDocument, baseUrl: string, operations: readonly Operation[], override: string | undefined): void {
  const addresses = [baseUrl, ...(override ? [] : operations.flatMap((operation) => (operation.servers ? [serverUrl(spec, undefined, operation.servers)] : [])))];
  for (const address of addresses) {
    if (address === undefined) continue;
    const reason = forbiddenAddressReason(new URL(address).hostname);
    if (reason) throw new SpecError(spec.location, `gives the API's address as ${address}, ${reason}; Patchbay does not send tool calls there`);
  }
}

/** Files are read from disk; URLs fetched through the guarded fetch, with a time and size limit. */
export const loadText: TextLoader = specLoader();
