/** Where an `ai-plugin.json` plugin's spec is, and what to say when it cannot be fetched from there. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { SpecError } from './specDocument';

export function resolveSpecLocation(specUrl: string, manifestPath: string): string {
  if (/^https?:\/\//i.test(specUrl)) return specUrl;
  // OpenAI manifests give the spec as a URL on the plugin's own host; a local plugin's spec
  // lives beside the manifest, so only the file name of such a URL's path is kept.
  return path.resolve(path.dirname(manifestPath), specUrl.replace(/^\/+/, ''));
}

/** When the spec URL cannot be fetched but a spec file lies beside the manifest, says so. */
export async function withLocalSpecHint(error: unknown, specUrl: string, manifestPath: string): Promise<unknown> {
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
