/** Reads a spec's other documents within limits: a spec must not make Patchbay read anything it likes. */
import path from 'node:path';
import { externalReferences } from './refResolver';
import { parseText, SpecError, type SpecDocument } from './specDocument';
import { checkInsideFolder, type TextLoader } from './specLoader';

const MAX_EXTERNAL_DOCUMENTS = 50;

/** The other documents `$ref`s point to, loaded once; only from where the spec itself comes from. */
export async function loadDocuments(spec: SpecDocument, references: readonly string[], load: TextLoader): Promise<Map<string, unknown>> {
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
