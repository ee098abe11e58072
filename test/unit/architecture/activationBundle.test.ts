/**
 * What VS Code pays to load Patchbay's bundle (part of its "Activation" figure, issue 17):
 * loading must not walk VS Code's API object (a bundler's ESM interop copies every property
 * of it once per importing file) nor load the modules kept beside the bundle for later, and
 * what is needed only after the chat has opened stays out of it (late-modules.js, see
 * esbuild.mjs), each module in one bundle only. The bundles are built as the .vsix has them
 * and loaded with a stand-in for `vscode`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const bundle = path.join(root, 'dist', 'extension.js');
const lateBundle = path.join(root, 'dist', 'late-modules.js');

/**
 * Modules that run only after the chat has opened, or when a command or a server needs them:
 * the plugin commands, Add Tool Plugin with the OpenAPI reader, config and MCP file parsing,
 * the plugin worker's host side, running an answer (chat and VS Code's models), the page
 * fetch, the tool server and MCP connections.
 */
const LATE = [
  'src/host/pluginCommandActions.ts',
  'src/host/addToolPluginFlow.ts',
  'src/core/openapi/openApiPlugin.ts',
  'src/host/pluginDependencyInstall.ts',
  'src/core/config/parseConfig.ts',
  'src/core/mcp/mcpDeclarationFiles.ts',
  'src/core/plugins/isolation/isolatedModule.ts',
  'src/core/chat/answerRun.ts',
  'src/core/languageModels/answerForEditor.ts',
  'src/core/openapi/guardedFetch.ts',
  'src/core/languageModels/toolServer.ts',
  'src/core/mcp/mcpConnection.ts',
];

/** Each bundle's source modules (from the build's metafile), without the stand-ins for what the late bundle takes from the other. */
function bundledModules(): Record<'extension' | 'late', string[]> {
  const outputs = JSON.parse(readFileSync(path.join(root, 'dist', 'host-bundles.json'), 'utf8')) as Record<string, Record<string, number>>;
  const sources = (file: string) => Object.keys(outputs[file] ?? {}).filter((input) => !input.includes(':') && !input.startsWith('<stdin>') && !input.endsWith('-entry.js'));
  return { extension: sources('dist/extension.js'), late: sources('dist/late-modules.js') };
}

interface LoadedBundle {
  /** How often loading listed the API's keys. */
  apiKeyListings: number;
  /** How many Intl.Collators loading made (each costs milliseconds: ICU's collation data). */
  collators: number;
  /** The files beside the bundle that loading it required. */
  besideBundle: string[];
  exports: unknown;
  /** Takes the stand-in for `vscode` away and forgets the bundle. */
  unload(): void;
}

/** Loads the bundle with a stand-in for `vscode`, which stays in place until `unload()`. */
function loadBundle(): LoadedBundle {
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
  const unload = () => {
    loader._load = originalLoad;
    delete require.cache[bundle];
  };
  let collators = 0;
  const originalCollator = Intl.Collator;
  Intl.Collator = new Proxy(originalCollator, {
    construct: (target, args: ConstructorParameters<typeof Intl.Collator>) => {
      collators++;
      return new target(...args);
    },
  });
  delete require.cache[bundle];
  try {
    const exports: unknown = require(bundle);
    return { apiKeyListings, collators, besideBundle: [...besideBundle], exports, unload };
  } catch (error) {
    unload();
    throw error;
  } finally {
    Intl.Collator = originalCollator;
  }
}

/** What loading the bundle did, the bundle unloaded again. */
function loadAndUnload(): Pick<LoadedBundle, 'apiKeyListings' | 'collators' | 'besideBundle'> {
  const loaded = loadBundle();
  loaded.unload();
  return loaded;
}

describe('loading the extension bundle (activation)', function () {
  this.timeout(60_000);

  before(() => {
    execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production', '--host-only', '--metafile'], { cwd: root, stdio: 'inherit' });
  });

  it('never lists the members of VS Code’s API object', () => {
    assert.equal(loadAndUnload().apiKeyListings, 0);
  });

  it('makes no collator while loading (one is made at the first sort of tools)', () => {
    assert.equal(loadAndUnload().collators, 0);
  });

  it('requires none of the modules kept beside it for later (yaml, ajv, the MCP SDK, late-modules.js)', () => {
    assert.deepEqual(loadAndUnload().besideBundle, []);
  });

  it('leaves what runs only after the chat has opened to late-modules.js', () => {
    const { extension, late } = bundledModules();
    assert.deepEqual(LATE.filter((module) => extension.includes(module)), [], 'in the extension bundle VS Code parses at activation');
    assert.deepEqual(LATE.filter((module) => !late.includes(module)), [], 'missing from late-modules.js');
  });

  it('bundles every module once: late-modules.js takes what the extension bundle has from it', () => {
    const { extension, late } = bundledModules();
    assert.ok(late.length > 0);
    assert.deepEqual(late.filter((module) => extension.includes(module)), []);
  });

  it('late-modules.js loads after the extension bundle and hands out the same modules both use', () => {
    const loaded = loadBundle();
    try {
      const lateModules = require(lateBundle) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(lateModules).filter((key) => Object.keys(lateModules[key] ?? {}).length === 0), [], 'a late module with no exports');
      // The chat's error class, thrown by late code and checked by the extension bundle's, is one class.
      const shared = (loaded.exports as { lateShared: Record<string, Record<string, unknown>> }).lateShared;
      const errors = shared['src/core/errors.ts'];
      assert.ok(errors && typeof errors['PatchbayError'] === 'function');
      const parsed = (lateModules['src/core/config/parseConfig.ts']?.['parseConfig'] as (text: string) => { problems: { message: string }[] })('providers: [\n');
      assert.ok(parsed.problems.length > 0, 'late-modules.js ran (it parsed a config, with yaml from beside the bundle)');
    } finally {
      loaded.unload();
      delete require.cache[lateBundle];
    }
  });
});
