// Builds every bundle: the extension host, the chat webview, and each bundled plugin
// (which is built into its own folder, in the same shape a user's plugin has).
//   node esbuild.mjs            development build with source maps
//   node esbuild.mjs --production   minified, no source maps (used for the .vsix)
//   node esbuild.mjs --watch
//   node esbuild.mjs --plugins-only   just the bundled plugins, the plugin worker and the tool server bridge (the unit tests run them)
//   node esbuild.mjs --templates-only   just copies the starter plugins to dist/templates
//   node esbuild.mjs --host-only   just the extension host bundle and the modules beside it (a unit test loads it)
import * as esbuild from 'esbuild';
import { copyFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { onlyChatCodicons } from './scripts/codiconSubset.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pluginsOnly = process.argv.includes('--plugins-only');
const templatesOnly = process.argv.includes('--templates-only');
const hostOnly = process.argv.includes('--host-only');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

// jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow; its ES build bundles.
const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20', alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } };

async function pluginBuilds() {
  const builds = [];
  for (const entry of await readdir('plugins', { withFileTypes: true })) {
    const source = path.join('plugins', entry.name, 'src', 'index.ts');
    if (entry.isDirectory() && existsSync(source)) {
      builds.push({ ...nodeCommon, entryPoints: [source], outfile: path.join('plugins', entry.name, 'dist', 'index.js') });
    }
  }
  return builds;
}

/**
 * yaml and ajv are more than half of the extension bundle but are needed only after the chat
 * has opened (see src/core/util/lazyModules.ts): each is a file of its own beside the bundle,
 * so VS Code does not even parse them while activating Patchbay.
 */
const LATE_MODULES = ['yaml', 'ajv'];
const lateModulesBesideBundle = {
  name: 'late-modules-beside-bundle',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${LATE_MODULES.join('|')})$`) }, (args) => ({ path: `./vendor-${args.path}.js`, external: true }));
  },
};

/** The MCP SDK (src/core/mcp/mcpSdk.ts, src/core/languageModels/toolServerSdk.ts) loads only when first used: one file beside the bundle. */
const mcpSdkBesideBundle = {
  name: 'mcp-sdk-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/sdk\/(client\/(index|stdio|streamableHttp|sse)|server\/(index|stdio)|types)\.js$/ }, () => ({ path: './vendor-mcp.js', external: true }));
  },
};

/**
 * `import * as vscode from 'vscode'` (and `import path from 'node:path'`) bundle as an ESM
 * interop wrapper that copies every member of the module once per importing file: for VS
 * Code's API object, 30 files × hundreds of members at every activation. Read as TypeScript's
 * `import x = require(...)` they bundle as a plain `require`, which is the same object.
 */
const WRAPPED_IMPORT = /^import (?:\* as )?([A-Za-z_$][\w$]*) from '(vscode|node:[a-z/_]+)';$/gm;
const plainRequires = {
  name: 'plain-requires',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!WRAPPED_IMPORT.test(source)) return undefined;
      WRAPPED_IMPORT.lastIndex = 0;
      return { contents: source.replace(WRAPPED_IMPORT, "import $1 = require('$2');"), loader: 'ts' };
    });
  },
};

/**
 * Our own modules needed only after the chat has opened (the plugin runtime's worker side,
 * config parsing, MCP declaration files, the plugin commands…) are required where they are
 * first used: `require('./x')` in the source, instead of an import. The host bundle turns each
 * such relative `require` into a look-up in late-modules.js, a second bundle beside it that
 * VS Code does not parse while activating Patchbay. A module both bundles need stays in the
 * extension bundle alone: late-modules.js takes it from there (`lateShared`), so every module
 * exists once at run time (one class, one cache), whichever bundle first loads it.
 */
const LATE_BUNDLE = 'late-modules.js';
const sourceKey = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
const isOwnSource = (file) => /^src\/.*\.ts$/.test(sourceKey(file));

/** In the extension bundle: `require('./x')` of our source becomes `require('./late-modules.js')['src/…/x.ts']`, and each is noted in `late`. */
function requiresGoLate(late) {
  return {
    name: 'requires-go-late',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\//, namespace: 'file' }, async (args) => {
        if (args.kind !== 'require-call' || args.pluginData === 'resolving' || !isOwnSource(args.importer)) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (resolved.errors.length > 0 || !isOwnSource(resolved.path)) return undefined;
        late.add(sourceKey(resolved.path));
        return { path: sourceKey(resolved.path), namespace: 'late-module' };
      });
      build.onResolve({ filter: new RegExp(`^\\./${LATE_BUNDLE.replace('.', '\\.')}$`), namespace: 'late-module' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'late-module' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(`./${LATE_BUNDLE}`)})[${JSON.stringify(args.path)}];`, loader: 'js' }));
    },
  };
}

/** In late-modules.js: a module the extension bundle has is taken from it, never bundled a second time; each is noted in `shared`. */
function takenFromExtensionBundle(inExtensionBundle, shared) {
  return {
    name: 'taken-from-extension-bundle',
    setup(build) {
      build.onResolve({ filter: /.*/, namespace: 'file' }, async (args) => {
        if (args.pluginData === 'resolving' || args.kind === 'entry-point') return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolving' });
        if (resolved.errors.length > 0 || resolved.external || !inExtensionBundle.has(sourceKey(resolved.path))) return undefined;
        shared.add(sourceKey(resolved.path));
        return { path: sourceKey(resolved.path), namespace: 'extension-bundle' };
      });
      build.onResolve({ filter: /^\.\/extension\.js$/, namespace: 'extension-bundle' }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: 'extension-bundle' }, (args) => ({ contents: `module.exports = require('./extension.js').lateShared[${JSON.stringify(args.path)}];`, loader: 'js' }));
    },
  };
}

/**
 * Three passes: the extension bundle (which finds the late modules and what it holds), then
 * late-modules.js (which finds what it takes from the extension bundle), then the extension
 * bundle again, now exporting those modules as `lateShared`.
 */
async function buildExtensionHost() {
  const hostOptions = { ...nodeCommon, external: ['vscode'], metafile: true };
  const hostPlugins = [plainRequires, lateModulesBesideBundle, mcpSdkBesideBundle];
  const late = new Set();
  const first = await esbuild.build({ ...hostOptions, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', sourcemap: false, write: false, plugins: [requiresGoLate(late), ...hostPlugins] });
  const inExtensionBundle = new Set(Object.keys(first.metafile.inputs).filter((input) => !input.includes(':')));
  const shared = new Set();
  const lateEntry = `module.exports = {\n${[...late].sort().map((key) => `  ${JSON.stringify(key)}: require(${JSON.stringify(`./${key}`)}),`).join('\n')}\n};\n`;
  const lateResult = await esbuild.build({
    ...hostOptions,
    stdin: { contents: lateEntry, resolveDir: process.cwd(), sourcefile: 'late-modules-entry.js', loader: 'js' },
    outfile: `dist/${LATE_BUNDLE}`,
    plugins: [takenFromExtensionBundle(inExtensionBundle, shared), plainRequires, lateModulesBesideBundle, mcpSdkBesideBundle],
  });
  const sharedKeys = [...shared].sort();
  const extensionEntry = [
    "export { activate, deactivate } from './src/host/extension';",
    ...sharedKeys.map((key, index) => `import * as shared${index} from ${JSON.stringify(`./${key}`)};`),
    `export const lateShared = {${sharedKeys.map((key, index) => ` ${JSON.stringify(key)}: shared${index}`).join(',')} };`,
  ].join('\n');
  const hostResult = await esbuild.build({
    ...hostOptions,
    stdin: { contents: extensionEntry, resolveDir: process.cwd(), sourcefile: 'extension-entry.ts', loader: 'ts' },
    outfile: 'dist/extension.js',
    plugins: [requiresGoLate(new Set()), ...hostPlugins],
  });
  if (process.argv.includes('--metafile')) {
    // What each bundle holds: module -> bytes (for the unit test that checks the split, and for finding what is worth moving).
    const modulesOf = (result) => Object.fromEntries(Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js')).map(([file, output]) => [file, Object.fromEntries(Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]))]));
    await writeFile('dist/host-bundles.json', JSON.stringify({ ...modulesOf(hostResult), ...modulesOf(lateResult) }, null, 1));
    await writeFile('dist/host-bundles.meta.json', JSON.stringify(hostResult.metafile));
  }
}

/**
 * "Create Plugin from Template" copies its starter plugins from dist/templates. The files
 * here only serve their type check (src/templates/tsconfig.json) and stay behind.
 */
const TEMPLATE_CHECK_ONLY = new Set(['tsconfig.json', 'patchbay-plugin.d.ts']);
async function copyTemplates() {
  await rm('dist/templates', { recursive: true, force: true });
  await cp('src/templates', 'dist/templates', { recursive: true, filter: (source) => !TEMPLATE_CHECK_ONLY.has(path.relative('src/templates', source)) });
}

/** User plugins run in worker threads (src/core/plugins/isolation): the worker's entry is a bundle of its own. */
const pluginWorker = { ...nodeCommon, entryPoints: ['src/core/openapi/openApiWorker.ts'], outfile: 'dist/pluginWorker.js' };

/** VS Code starts Patchbay's tool server as a stdio process: this bridge (src/core/languageModels/toolServerBridge.ts). */
const toolServerBridge = { ...nodeCommon, entryPoints: ['src/core/languageModels/toolServerBridge.ts'], outfile: 'dist/toolServerBridge.js' };

const hostBuilds = [
  { ...nodeCommon, entryPoints: { 'vendor-mcp': 'src/core/mcp/sdkVendorEntry.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: Object.fromEntries(LATE_MODULES.map((name) => [`vendor-${name}`, name])), outdir: 'dist' },
];

const buildsHost = !templatesOnly && !pluginsOnly;
const builds = templatesOnly ? [] : pluginsOnly ? [...(await pluginBuilds()), pluginWorker, toolServerBridge] : hostOnly ? hostBuilds : [
  pluginWorker,
  toolServerBridge,
  ...hostBuilds,
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    // start.js is the page's only script: small, so the webview shows and its input takes keys
    // at once; it adds webview.js, the chat, after the page's load (issue 17 §2). The
    // highlighter is a script of its own, loaded when the first code block needs it.
    entryPoints: { start: 'src/webview/start.ts', webview: 'src/webview/main.ts', highlight: 'src/webview/highlighter.ts' },
    outdir: 'media/build',
    // VS Code's icon font (codicons), beside the stylesheet that names it.
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    plugins: [onlyChatCodicons],
  },
  ...(await pluginBuilds()),
];

if (!pluginsOnly && !hostOnly) await copyTemplates();
if (!pluginsOnly && !templatesOnly && !hostOnly) {
  await mkdir('dist', { recursive: true });
  await copyFile('src/core/config/config.schema.json', 'dist/config.schema.json');
  // Plugin authors' editors read the API types from here ("Create Plugin from Template" copies it).
  await copyFile('src/core/api/index.ts', 'dist/patchbay-plugin.d.ts');
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  if (buildsHost) {
    // esbuild watches the extension's sources; each change runs the three passes again.
    const rebuildHost = { name: 'rebuild-extension-host', setup: (build) => build.onEnd(() => buildExtensionHost().catch((error) => console.error(error))) };
    await (await esbuild.context({ ...nodeCommon, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', sourcemap: false, external: ['vscode'], write: false, plugins: [plainRequires, lateModulesBesideBundle, mcpSdkBesideBundle, rebuildHost] })).watch();
  }
  console.log('watching for changes…');
} else {
  await Promise.all([...builds.map((options) => esbuild.build(options)), ...(buildsHost ? [buildExtensionHost()] : [])]);
}
