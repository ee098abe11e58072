/**
 * Core code must run in plain Node (that is what makes it testable without VS Code), and
 * the webview must not reach into host or core runtime code.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/** The files a relative import names, `import type` and re-exports included; packages are not followed. */
function relativeImportTargets(file: string): string[] {
  return imports(file)
    .filter((specifier) => specifier.startsWith('.'))
    .flatMap((specifier) => {
      const base = path.resolve(path.dirname(file), specifier);
      const found = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => {
        try {
          return statSync(candidate).isFile();
        } catch {
          return false;
        }
      });
      return found ? [found] : [];
    });
}

/** Every import cycle among the files, each as the path that closes it (first file repeated at the end). */
function importCycles(files: readonly string[]): string[][] {
  const edges = new Map(files.map((file) => [file, relativeImportTargets(file).filter((target) => files.includes(target))]));
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const target of edges.get(file) ?? []) {
      if (state.get(target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...files].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/**
 * The layers of src/core, lowest first: a file may import its own layer or one below it.
 * Layers are core's folders; of the files directly in src/core, errors.ts and ports.ts are the
 * shared base and the rest (the composition root) sit on top.
 */
const CORE_LAYERS = ['api', 'base', 'util', 'workspace', 'streaming', 'config', 'plugins', 'providers', 'openapi', 'tools', 'mcp', 'chat', 'context', 'languageModels', 'history', 'conversations', 'root'] as const;
const BASE_FILES = new Set(['errors.ts', 'ports.ts']);

function coreLayerOf(file: string): number {
  const [first, ...rest] = path.relative(path.join(root, 'src/core'), file).split(path.sep);
  const layer = rest.length > 0 ? first : BASE_FILES.has(first ?? '') ? 'base' : 'root';
  const index = CORE_LAYERS.indexOf(layer as (typeof CORE_LAYERS)[number]);
  if (index === -1) throw new Error(`src/core/${first}/ is in no layer: add it to CORE_LAYERS`);
  return index;
}

describe('layering', () => {
  for (const layer of ['src/core', 'src/protocol', 'plugins']) {
    it(`${layer} never imports vscode`, () => {
      const offenders = sourceFiles(path.join(root, layer))
        .filter((file) => !file.includes(`${path.sep}dist${path.sep}`))
        .filter((file) => imports(file).includes('vscode'));
      assert.deepEqual(offenders.map((file) => path.relative(root, file)), []);
    });
  }

  it('the webview imports only the protocol and libraries, never host or core runtime code', () => {
    const offenders = sourceFiles(path.join(root, 'src/webview')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return imports(file)
        .filter((specifier) => /(^|\/)(host|core)\//.test(specifier) || specifier === 'vscode')
        .filter((specifier) => !new RegExp(`import\\s+type\\s[^;]*['"]${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"]`).test(text))
        .map((specifier) => `${path.relative(root, file)} -> ${specifier}`);
    });
    assert.deepEqual(offenders, []);
  });

  it('bundled plugins use only the public plugin API types from the core', () => {
    const offenders = sourceFiles(path.join(root, 'plugins')).flatMap((file) =>
      imports(file)
        .filter((specifier) => specifier.includes('src/core') && !/src\/core\/api$/.test(specifier))
        .map((specifier) => `${path.relative(root, file)} -> ${specifier}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('the import graph of src/core has no cycle (relative imports, type-only ones included)', () => {
    const files = sourceFiles(path.join(root, 'src/core'));
    const cycles = importCycles(files).map((cycle) => cycle.map((file) => path.relative(path.join(root, 'src/core'), file)).join(' -> '));
    assert.deepEqual(cycles, []);
  });
  it('every import in src/core goes to the same layer or a lower one (layers: ' + CORE_LAYERS.join(' < ') + ')', () => {
    const coreDir = path.join(root, 'src/core');
    const backward = sourceFiles(coreDir).flatMap((file) =>
      relativeImportTargets(file)
        .filter((target) => target.startsWith(coreDir + path.sep) && coreLayerOf(target) > coreLayerOf(file))
        .map((target) => `${path.relative(coreDir, file)} -> ${path.relative(coreDir, target)}`),
    );
    assert.deepEqual(backward, []);
  });
});

describe('the plugin API file', () => {
  it('is self-contained type declarations, so it can ship as patchbay-plugin.d.ts', () => {
    const text = readFileSync(path.join(root, 'src/core/api/index.ts'), 'utf8');
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const statements = code.split('\n').filter((line) => /^\S/.test(line) && !/^}/.test(line));
    const offending = statements.filter((line) => !/^export (interface|type) /.test(line) && !/^\s*\|/.test(line));
    assert.deepEqual(offending, []);
    assert.doesNotMatch(code, /\bimport\b|\brequire\(/);
  });
});
