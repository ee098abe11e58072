/**
 * The bundled `@git` and `@url` context providers, loaded from plugins/ as the extension loads
 * them: `@git` against a real temporary git repository through the `git diff` fallback, `@url`
 * against a page served on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ContextProviders, type ContextApprovalQuestion } from '../../../src/core/context/contextProviders';
import { gitCommandDiff, workspaceGitDiff } from '../../../src/core/context/gitDiff';
import { webServices } from '../../../src/core/context/pageFetch';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { unavailableServices } from '../../../src/core/plugins/pluginContext';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';
import type { ToolDecision } from '../../../src/core/tools/toolDecision';
import { defaultApprovalRules } from '../../../src/core/tools/toolPolicy';

const pluginsFolder = path.resolve(__dirname, '../../../plugins');

describe('bundled context providers', () => {
  let folders: { name: string; path: string }[] = [];
  let answer: ToolDecision = 'once';
  const asked: ContextApprovalQuestion[] = [];
  let runtime: PluginRuntime;
  let context: ContextProviders;
  let scratch: string;

  before(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'patchbay-bundled-context-'));
    const registry = new ContributionRegistry();
    runtime = new PluginRuntime({
      registry,
      loggerFor: () => silentLogger,
      services: () => ({ workspace: { ...unavailableServices.workspace, gitDiff: () => workspaceGitDiff(folders, gitCommandDiff) }, web: webServices() }),
    });
    const { candidates } = await discoverPlugins([{ dir: pluginsFolder, source: 'bundled' }]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
    context = new ContextProviders({
      registry,
      callRules: { loggerFor: () => silentLogger, signalOf: (id) => runtime.signalOf(id), timeoutMs: 30_000 },
      approval: () => ({ rules: defaultApprovalRules }),
      alwaysAllowed: () => new Set(),
      rememberAlwaysAllowed: () => undefined,
      loadedPlugin: () => undefined,
      askApproval: async (question) => (asked.push(question), answer),
    });
  });

  after(async () => {
    await runtime.unloadAll();
    await rm(scratch, { recursive: true, force: true });
  });

  it('offers @git and @url', () => {
    const names = context.list().map((provider) => [provider.name, provider.plugin, provider.queryHint]);
    assert.deepEqual(names, [['git', 'git-context', undefined], ['url', 'url-context', 'a URL (https://…)']]);
  });

  describe('@git', () => {
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.test', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });

    it("adds the working tree's staged and unstaged changes, read with git diff", async () => {
      const repo = path.join(scratch, 'repo');
      execFileSync('mkdir', ['-p', repo]);
      git(repo, 'init', '-q');
      await writeFile(path.join(repo, 'app.ts'), 'export const answer = 41;\n');
      await writeFile(path.join(repo, 'notes.md'), 'first\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'start');
      await writeFile(path.join(repo, 'app.ts'), 'export const answer = 42;\n');
      git(repo, 'add', 'app.ts');
      await writeFile(path.join(repo, 'notes.md'), 'first\nsecond line, not staged\n');
      folders = [{ name: 'repo', path: repo }];

      const attachment = await context.resolve('git', '');
      assert.equal(attachment.label, 'Git diff of the working tree');
      assert.equal(attachment.language, 'diff');
      const [staged, unstaged] = attachment.text.split('# Unstaged changes');
      assert.match(staged ?? '', /^# Staged changes\ndiff --git a\/app\.ts b\/app\.ts[\s\S]*-export const answer = 41;\n\+export const answer = 42;/);
      assert.match(unstaged ?? '', /diff --git a\/notes\.md b\/notes\.md[\s\S]*\+second line, not staged/);
      assert.doesNotMatch(unstaged ?? '', /app\.ts/);
    });

    it('says so when nothing changed, and when the folder is in no repository', async () => {
      const repo = path.join(scratch, 'clean');
      execFileSync('mkdir', ['-p', repo]);
      git(repo, 'init', '-q');
      await writeFile(path.join(repo, 'a.txt'), 'a\n');
      git(repo, 'add', '.');
      git(repo, 'commit', '-q', '-m', 'one');
      folders = [{ name: 'clean', path: repo }];
      await assert.rejects(context.resolve('git', ''), /@git was not added: the working tree has no changes/);

      const plain = await mkdtemp(path.join(os.tmpdir(), 'patchbay-no-repo-'));
      try {
        folders = [{ name: 'plain', path: plain }];
        await assert.rejects(context.resolve('git', ''), /@git was not added: plain is not in a git repository/);
      } finally {
        await rm(plain, { recursive: true, force: true });
      }
    });
  });

  describe('@url', () => {
    let server: http.Server;
    let base: string;
    const requests: string[] = [];

    before(async () => {
      server = http.createServer((request, response) => {
        requests.push(request.url ?? '');
        if (request.url === '/page') {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(`<!doctype html><html><head><title>Release notes &amp; more</title><style>body { color: red }</style>
            <script>var secret = "never shown";</script></head>
            <body><nav>Home | About</nav><main><h1>Version 2</h1><p>Faster   and
            <b>smaller</b> &mdash; see <a href="https://example.test/docs">the docs</a>.</p>
            <ul><li>One</li><li>Two &lt;three&gt;</li></ul><pre>  indented
    code</pre></main></body></html>`);
        } else if (request.url === '/big') {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end('y'.repeat(150_000));
        } else if (request.url === '/image') {
          response.writeHead(200, { 'content-type': 'image/png' });
          response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        } else {
          response.writeHead(404, { 'content-type': 'text/plain' });
          response.end('no such page');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    beforeEach(() => {
      asked.length = 0;
      requests.length = 0;
      answer = 'once';
    });

    it('asks first, then adds the page as readable text with its title and address', async () => {
      const attachment = await context.resolve('url', `${base}/page`);
      assert.deepEqual(asked, [{ mention: '@url', plugin: 'url-context', method: 'GET', url: `${base}/page`, canAlwaysAllow: true }]);
      assert.equal(attachment.label, `Release notes & more (${base}/page)`);
      assert.equal(attachment.text, '# Version 2\n\nFaster and smaller — see the docs (https://example.test/docs).\n\n- One\n- Two <three>\n\n  indented\n    code');
      assert.doesNotMatch(attachment.text, /secret|color|Home/);
    });

    it('fetches nothing when the user does not allow it', async () => {
      answer = 'deny';
      await assert.rejects(context.resolve('url', `${base}/page`), new RegExp(`@url ${base}/page was not added: you did not allow GET ${base}/page`));
      assert.deepEqual(requests, []);
    });

    it('cuts a long page, and refuses an error page, a non-text answer and a non-web address clearly', async () => {
      const big = await context.resolve('url', `${base}/big`);
      assert.equal(big.text.length < 100_200, true, `${big.text.length} characters`);
      assert.ok(big.text.startsWith('y'.repeat(100_000)));
      assert.ok(big.text.endsWith('[… the rest (50,000 characters) is left out …]'), big.text.slice(-100));
      await assert.rejects(context.resolve('url', `${base}/missing`), new RegExp(`@url ${base}/missing was not added: ${base}/missing answered 404 Not Found`));
      await assert.rejects(context.resolve('url', `${base}/image`), /is image\/png, not a page that can be read as text/);
      await assert.rejects(context.resolve('url', 'file:///etc/passwd'), /@url file:\/\/\/etc\/passwd was not added: file: addresses are not fetched/);
      await assert.rejects(context.resolve('url', ''), /type the address of a page after @url/);
    });

    it('refuses a link-local address through the guarded fetch, before connecting', async () => {
      await assert.rejects(context.resolve('url', 'http://169.254.169.254/latest/meta-data'), /link-local/);
    });
  });
});
