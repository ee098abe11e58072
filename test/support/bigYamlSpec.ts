/**
 * A ~3 MB YAML OpenAPI spec made deterministically from the GitHub spec in node_modules: all
 * its paths (811), each `$ref` replaced by a plain object schema so no component is needed.
 * Parsing it takes seconds: what the isolation tests and the benchmark load.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';

const githubSpec = path.resolve(__dirname, '../../node_modules/@octokit/openapi/generated/api.github.com.json');

/** Writes the spec to `file` (served at `serverUrl`) and returns its size in bytes. */
export async function writeBigYamlSpec(file: string, serverUrl: string): Promise<number> {
  const spec = JSON.parse(await readFile(githubSpec, 'utf8'), (_key, value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { $ref?: unknown }).$ref === 'string' ? { type: 'object', description: 'a GitHub object' } : value,
  ) as { openapi: string; info: unknown; paths: unknown };
  const text = YAML.stringify({ openapi: spec.openapi, info: spec.info, servers: [{ url: serverUrl }], paths: spec.paths });
  await writeFile(file, text);
  return Buffer.byteLength(text);
}
