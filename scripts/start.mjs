// Builds the .vsix and opens a real VS Code with it installed: the desktop `code` when it
// is on PATH, otherwise VS Code in the browser (code-server) served on 127.0.0.1.
//   npm start [-- <folder>]     folder to open (default: this repository)
//   PATCHBAY_PORT=8765          port for the browser VS Code
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const folder = path.resolve(process.argv[2] ?? root);

const packaged = execFileSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const vsix = packaged.trim().split('\n').at(-1);
console.log(packaged.trim().split('\n').slice(-2, -1)[0] ?? '');

if (spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0) {
  execFileSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
  execFileSync('code', [folder], { stdio: 'inherit' });
  console.log(`Opened ${folder} in VS Code with Patchbay installed. Open the Patchbay view in the activity bar.`);
  process.exit(0);
}

console.log('`code` is not on PATH: serving VS Code in the browser (code-server) instead.');
execFileSync('bash', [path.join(root, 'scripts', 'install-code-server.sh')], { stdio: 'inherit' });
const entry = path.join(process.env.PATCHBAY_CODE_SERVER_DIR ?? path.join(root, '.tools', 'code-server-4.106.3'), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// code-server 4.106 runs on Node 22, which the install script puts beside it.
const node22 = path.join(process.env.PATCHBAY_NODE22_DIR ?? path.join(root, '.tools', 'node-22'), 'bin', 'node');
const profile = path.join(root, '.tools', 'run-profile');
const userDataDir = path.join(profile, 'user-data');
const extensionsDir = path.join(profile, 'extensions');
const configFile = path.join(profile, 'code-server.yaml');
mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
writeFileSync(configFile, 'auth: none\n');
// A quiet first start: no welcome page, tips or telemetry notice over the chat. Written once;
// what the user changes in this profile afterwards stays.
const settingsFile = path.join(userDataDir, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  writeFileSync(settingsFile, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
  }, null, 2));
}
const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
execFileSync(node22, [entry, ...common, '--install-extension', vsix, '--force'], { stdio: 'inherit' });

const port = process.env.PATCHBAY_PORT ?? '8765';
const server = spawn(node22, [entry, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check'], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
setTimeout(() => {
  console.log(`\nPatchbay is installed in VS Code at:\n\n  ${url}\n\nOpen it in a browser, then the Patchbay view in the activity bar. Ctrl+C stops the server.`);
}, 3000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
