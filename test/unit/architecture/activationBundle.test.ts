/**
 * What VS Code pays to load Patchbay's bundle (part of its "Activation" figure, issue 17):
 * loading must not walk VS Code's API object (a bundler's ESM interop copies every property
 * of it once per importing file) nor load the modules kept beside the bundle for later.
 * The bundle is built as the .vsix has it and loaded with a stand-in for `vscode`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import Module from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const bundle = path.join(root, 'dist', 'extension.js');

/** What loading the bundle did: how often it listed the API's keys, and which files beside it it required. */
function loadBundle(): { apiKeyListings: number; besideBundle: string[] } {
  let apiKeyListings = 0;
  const besideBundle: string[] = [];
  // Roughly as many members as VS Code's API object has (namespaces, classes, enums).
  const members = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`member${index}`, class {}]));
  const api = new Proxy(members, {
    ownKeys: (target) => {
      apiKeyListings++;
      return Reflect.ownKeys(target);
    },
  });
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const originalLoad = loader._load;
  loader._load = function (request, parent, isMain) {
    if (request === 'vscode') return api;
    if (request.startsWith('./')) besideBundle.push(request);
    return originalLoad.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[bundle];
    require(bundle);
  } finally {
    loader._load = originalLoad;
    delete require.cache[bundle];
  }
  return { apiKeyListings, besideBundle };
}

describe('loading the extension bundle (activation)', function () {
  this.timeout(60_000);

  before(() => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production', '--host-only'], { cwd: root, stdio: 'inherit' });
  });

  it('never lists the members of VS Code’s API object', () => {
    assert.equal(loadBundle().apiKeyListings, 0);
  });

  it('requires none of the modules kept beside it for later (yaml, ajv, the MCP SDK)', () => {
    assert.deepEqual(loadBundle().besideBundle, []);
  });
});
