// Builds every bundle: the extension host, the chat webview, and each bundled plugin
// (which is built into its own folder, in the same shape a user's plugin has).
//   node esbuild.mjs            development build with source maps
//   node esbuild.mjs --production   minified, no source maps (used for the .vsix)
//   node esbuild.mjs --watch
//   node esbuild.mjs --plugins-only   just the bundled plugins, the plugin worker and the tool server bridge (the unit tests run them)
//   node esbuild.mjs --templates-only   just copies the starter plugins to dist/templates
//   node esbuild.mjs --host-only   just the extension host bundle and the modules beside it (a unit test loads it)
import * as esbuild from 'esbuild';
import { copyFile, cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
  { ...nodeCommon, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [plainRequires, lateModulesBesideBundle, mcpSdkBesideBundle] },
  { ...nodeCommon, entryPoints: { 'vendor-mcp': 'src/core/mcp/sdkVendorEntry.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: Object.fromEntries(LATE_MODULES.map((name) => [`vendor-${name}`, name])), outdir: 'dist' },
];

const builds = templatesOnly ? [] : pluginsOnly ? [...(await pluginBuilds()), pluginWorker, toolServerBridge] : hostOnly ? hostBuilds : [
  pluginWorker,
  toolServerBridge,
  ...hostBuilds,
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    // The highlighter is a script of its own, loaded after the chat first paints.
    entryPoints: { webview: 'src/webview/main.ts', highlight: 'src/webview/highlighter.ts' },
    outdir: 'media/build',
    // VS Code's icon font (codicons), beside the stylesheet that names it.
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
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
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
