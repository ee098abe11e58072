/**
 * The workspace's read services on real files and VS Code's own ripgrep: confinement to the
 * workspace folders (by real path), what .gitignore, files.exclude and .env* leave out unless
 * attached, the caps and the outline of a large file, the editor's unsaved text, and rg's
 * `--json` read into capped matches, with cancellation and a clear error when rg is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { outline, sliceLines } from '../../../src/core/workspace/fileLines';
import { globToRegExp, matchesAny } from '../../../src/core/workspace/globPattern';
import { parseRipgrepLine, ripgrepCandidates } from '../../../src/core/workspace/ripgrep';
import { WorkspaceReader, type WorkspaceReaderPort } from '../../../src/core/workspace/workspaceReader';
import type { WorkspaceRoot } from '../../../src/core/workspace/workspacePaths';
import { shippedRipgrep } from '../../support/ripgrepBinary';

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a refusal');
}

describe('workspace read services', function () {
  this.timeout(20_000);
  const rg = shippedRipgrep();
  let tmp: string;
  let main: WorkspaceRoot;
  let second: WorkspaceRoot;
  let port: WorkspaceReaderPort;
  let attached: Set<string>;
  let open: Map<string, { text: string; dirty: boolean }>;
  let excludes: string[];
  let roots: WorkspaceRoot[];
  let reader: WorkspaceReader;

  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  };

  beforeEach(async () => {
    tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-read-')));
    main = { name: 'app', path: path.join(tmp, 'app') };
    second = { name: 'lib', path: path.join(tmp, 'lib') };
    await write(path.join(main.path, 'src', 'greet.ts'), 'export function greet(name: string) {\n  return `Hello, ${name}`;\n}\n');
    await write(path.join(main.path, '.gitignore'), 'secrets.json\ndist/\n');
    await write(path.join(main.path, 'secrets.json'), '{"token":"needle-secret"}\n');
    await write(path.join(main.path, 'dist', 'out.js'), 'const needle = 1;\n');
    await write(path.join(main.path, '.env'), 'API_KEY=needle-env\n');
    await write(path.join(main.path, 'generated', 'big.ts'), 'const needle = 2;\n');
    await write(path.join(main.path, 'README.md'), '# App\n\nFind the needle here.\n');
    await write(path.join(tmp, 'outside.txt'), 'outside the workspace\n');
    await write(path.join(second.path, 'index.ts'), 'export const needle = 3;\n');
    execFileSync('git', ['init', '-q'], { cwd: main.path });
    attached = new Set();
    open = new Map();
    excludes = ['**/.git', 'generated'];
    roots = [main];
    port = {
      roots: () => roots,
      ripgrep: () => rg,
      excludes: () => excludes,
      openText: (absolute) => open.get(absolute),
      attached: (absolute) => attached.has(absolute),
    };
    reader = new WorkspaceReader(port);
  });

  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('confinement', () => {
    it('refuses a ".." escape, naming the path', async () => {
      const message = await refusal(reader.readFile('../outside.txt'));
      assert.match(message, /"\.\.\/outside\.txt" is outside the workspace folders/);
    });

    it('refuses an absolute path outside the folders', async () => {
      const message = await refusal(reader.readFile(path.join(tmp, 'outside.txt')));
      assert.match(message, /outside\.txt" is outside the workspace folders/);
    });

    it('refuses a symbolic link inside the folder that leads outside', async () => {
      await symlink(path.join(tmp, 'outside.txt'), path.join(main.path, 'link.txt'));
      const message = await refusal(reader.readFile('link.txt'));
      assert.match(message, /"link\.txt" leads out of the workspace folders through a symbolic link/);
    });

    it('in a multi-root workspace, reads "folderName/..." from that folder and shows the folder\'s name', async () => {
      roots = [main, second];
      const read = await reader.readFile('lib/index.ts');
      assert.equal(read.kind, 'text');
      assert.equal(read.path, 'lib/index.ts');
      assert.match(read.kind === 'text' ? read.text : '', /needle = 3/);
      const listed = await reader.listFiles({ glob: '*.ts' });
      assert.deepEqual(listed.files, ['app/src/greet.ts', 'lib/index.ts']);
    });
  });

  describe('ignore rules', () => {
    it('refuses a file .gitignore leaves out (also through an ignored folder), and says to attach it', async () => {
      assert.match(await refusal(reader.readFile('secrets.json')), /"secrets\.json" is ignored by \.gitignore.*attach it/);
      assert.match(await refusal(reader.readFile('dist/out.js')), /"dist\/out\.js" is ignored by \.gitignore/);
    });

    it('refuses .env* and files.exclude files unless the user attached them', async () => {
      assert.match(await refusal(reader.readFile('.env')), /"\.env" is a secrets file/);
      assert.match(await refusal(reader.readFile('generated/big.ts')), /"generated\/big\.ts" is excluded by the files\.exclude setting/);
      attached.add(path.join(main.path, '.env'));
      attached.add(path.join(main.path, 'secrets.json'));
      const env = await reader.readFile('.env');
      assert.match(env.kind === 'text' ? env.text : '', /API_KEY/);
      const secrets = await reader.readFile('secrets.json');
      assert.match(secrets.kind === 'text' ? secrets.text : '', /needle-secret/);
    });

    it('lists and searches neither ignored, excluded nor .env files', async function () {
      if (!rg) this.skip();
      const listed = await reader.listFiles();
      assert.deepEqual(listed.files, ['.gitignore', 'README.md', 'src/greet.ts']);
      const found = await reader.searchText({ query: 'needle' });
      assert.deepEqual(found.matches.map((match) => `${match.path}:${match.line}`), ['README.md:3']);
    });

    it('never brings back an ignored file through the model\'s glob (a ripgrep --glob would override .gitignore)', async function () {
      if (!rg) this.skip();
      assert.deepEqual((await reader.listFiles({ glob: '*.json' })).files, []);
      assert.deepEqual((await reader.listFiles({ glob: '**/*.js' })).files, []);
      assert.deepEqual((await reader.listFiles({ glob: '*.ts' })).files, ['src/greet.ts']);
      assert.deepEqual((await reader.listFiles({ glob: 'src/*.ts' })).files, ['src/greet.ts']);
      assert.deepEqual((await reader.searchText({ query: 'needle', glob: '*.json' })).matches, []);
      assert.deepEqual((await reader.searchText({ query: 'needle', glob: '*.md' })).matches.map((match) => match.path), ['README.md']);
    });

    it('matches files.exclude globs as VS Code does, a folder\'s pattern covering what is in it', () => {
      const patterns = ['**/.git', 'out', '**/*.{log,tmp}', 'build/[abc]?.js'].map(globToRegExp);
      assert.equal(matchesAny('out/x/y.js', patterns), true);
      assert.equal(matchesAny('src/out/y.js', patterns), false);
      assert.equal(matchesAny('deep/a/run.tmp', patterns), true);
      assert.equal(matchesAny('build/a1.js', patterns), true);
      assert.equal(matchesAny('build/d1.js', patterns), false);
      assert.equal(matchesAny('pkg/.git/config', patterns), true);
    });
  });

  describe('caps and outline', () => {
    it('gives at most 400 lines a read and says how to read on', async () => {
      const lines = Array.from({ length: 1000 }, (_, index) => `line ${index + 1}`);
      await write(path.join(main.path, 'long.txt'), `${lines.join('\n')}\n`);
      const read = await reader.readFile('long.txt', { startLine: 101 });
      assert.ok(read.kind === 'text');
      assert.equal(read.startLine, 101);
      assert.equal(read.endLine, 500);
      assert.equal(read.totalLines, 1000);
      assert.equal(read.text.split('\n').at(-1), 'line 500');
      assert.match(read.cut ?? '', /lines 501-1000 not shown; read on with startLine 501/);
    });

    it('cuts at 100 KB a read', () => {
      const text = Array.from({ length: 300 }, () => 'x'.repeat(999)).join('\n');
      const slice = sliceLines(text, {});
      assert.ok(Buffer.byteLength(slice.text) <= 100_000);
      assert.equal(slice.endLine, 100);
      assert.match(slice.cut ?? '', /cut at 100 KB a read: lines 101-300 not shown/);
    });

    it('gives the size, line count and outline of a file over 1 MB read without a range, and its lines with one', async () => {
      const body: string[] = [];
      for (let index = 0; index < 12_000; index++) body.push(index % 1000 === 0 ? `export function part${index}() {` : `  const value${index} = ${index}; // filler filler filler filler filler filler filler filler filler`);
      await write(path.join(main.path, 'huge.ts'), `${body.join('\n')}\n`);
      const whole = await reader.readFile('huge.ts');
      assert.ok(whole.kind === 'outline');
      assert.ok(whole.bytes > 1_000_000);
      assert.equal(whole.totalLines, 12_000);
      assert.deepEqual(whole.outline.map((item) => item.line), Array.from({ length: 12 }, (_, index) => index * 1000 + 1));
      assert.equal(whole.outline[3]?.text, 'export function part3000() {');
      const part = await reader.readFile('huge.ts', { startLine: 3001, endLine: 3002 });
      assert.ok(part.kind === 'text');
      assert.equal(part.text.split('\n')[0], 'export function part3000() {');
    });

    it('refuses a file over 10 MB, naming its size, so reading it never holds the editor\'s thread for long', async () => {
      await write(path.join(main.path, 'dump.log.txt'), 'x'.repeat(10_500_000));
      assert.match(await refusal(reader.readFile('dump.log.txt')), /"dump\.log\.txt" is 10\.5 MB, too large to read/);
      assert.match(await refusal(reader.readFile('dump.log.txt', { startLine: 1, endLine: 2 })), /too large to read/);
    });

    it('outlines declarations and headings of several languages', () => {
      const text = ['# Title', 'plain text', 'class Cat:', '    def purr(self):', 'pub fn main() {', 'interface Shape {', 'func Run() {', '  x = 1'].join('\n');
      assert.deepEqual(outline(text).map((item) => item.line), [1, 3, 4, 5, 6, 7]);
    });

    it('reads the editor\'s unsaved text of an open file', async () => {
      const absolute = path.join(main.path, 'src', 'greet.ts');
      open.set(absolute, { text: 'export function greet() { return "unsaved"; }\n', dirty: true });
      const read = await reader.readFile('src/greet.ts');
      assert.ok(read.kind === 'text');
      assert.equal(read.unsaved, true);
      assert.match(read.text, /unsaved/);
    });
  });

  describe('search with ripgrep', () => {
    it('reads rg --json: matches (text or base64 bytes), nothing else', () => {
      const match = JSON.stringify({ type: 'match', data: { path: { text: './src/a.ts' }, lines: { text: 'let a = 1;\n' }, line_number: 7, absolute_offset: 0, submatches: [] } });
      assert.deepEqual(parseRipgrepLine(match), { path: 'src/a.ts', line: 7, text: 'let a = 1;' });
      const bytes = JSON.stringify({ type: 'match', data: { path: { bytes: Buffer.from('b\u00e9.txt').toString('base64') }, lines: { bytes: Buffer.from('caf\u00e9\n').toString('base64') }, line_number: 2 } });
      assert.deepEqual(parseRipgrepLine(bytes), { path: 'b\u00e9.txt', line: 2, text: 'caf\u00e9' });
      assert.equal(parseRipgrepLine(JSON.stringify({ type: 'begin', data: { path: { text: 'a' } } })), undefined);
      assert.equal(parseRipgrepLine('{"type":"match", broken'), undefined);
    });

    it('stops at 50 files and says the results were cut', async function () {
      if (!rg) this.skip();
      for (let index = 0; index < 70; index++) await write(path.join(main.path, 'many', `f${index}.txt`), 'needle one\nneedle two\n');
      const found = await reader.searchText({ query: 'needle', glob: 'many/**' });
      assert.equal(new Set(found.matches.map((match) => match.path)).size, 50);
      assert.equal(found.matches.length, 100);
      assert.equal(found.truncated, true);
    });

    it('takes regular expressions and case sensitivity', async function () {
      if (!rg) this.skip();
      const regex = await reader.searchText({ query: 'greet\\(name', isRegex: true });
      assert.deepEqual(regex.matches.map((match) => `${match.path}:${match.line}`), ['src/greet.ts:1']);
      const literal = await reader.searchText({ query: 'greet(name' });
      assert.equal(literal.matches.length, 1);
      assert.equal((await reader.searchText({ query: 'HELLO', caseSensitive: true })).matches.length, 0);
      assert.equal((await reader.searchText({ query: 'HELLO' })).matches.length, 1);
    });

    it('is cancelled by the call\'s signal', async function () {
      if (!rg) this.skip();
      const controller = new AbortController();
      controller.abort(new Error('stopped by the user'));
      assert.equal(await refusal(reader.searchText({ query: 'needle' }, { signal: controller.signal })), 'stopped by the user');
    });

    it('says so clearly when ripgrep is missing', async () => {
      reader = new WorkspaceReader({ ...port, ripgrep: () => undefined });
      assert.match(await refusal(reader.searchText({ query: 'needle' })), /ripgrep binary that VS Code ships could not be found/);
      reader = new WorkspaceReader({ ...port, ripgrep: () => path.join(tmp, 'no-rg') });
      assert.match(await refusal(reader.searchText({ query: 'needle' })), /ripgrep was not found at/);
    });

    it('looks for rg where VS Code builds keep it', () => {
      const candidates = ripgrepCandidates('/opt/vscode/resources/app', 'linux', 'x64');
      assert.ok(candidates.includes(path.join('/opt/vscode/resources/app', 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', 'rg')));
      assert.ok(candidates.includes(path.join('/opt/vscode/resources/app', 'node_modules.asar', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg')));
    });
  });
});
