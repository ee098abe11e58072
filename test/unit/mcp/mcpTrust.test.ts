/** A workspace's stdio server starts only in a trusted workspace, after consent; a workspace's HTTP server gets only secrets set for it. */
import assert from 'node:assert/strict';
import type { McpConsentPort, McpStartView } from '../../../src/core/mcp/mcpConsent';
import type { McpServerDefinition } from '../../../src/core/mcp/mcpDefinitions';
import { mcpSecretKey, withSecrets } from '../../../src/core/mcp/mcpSecrets';
import { Redactor } from '../../../src/core/util/redactor';
import { eventually, faultyServer, harness, status, stdioServer, type Harness } from './mcpHarness';

/** A consent port whose questions the test answers. */
function consentPort() {
  const memory: Record<string, boolean> = {};
  const asked: { view: McpStartView; answer(value: boolean | undefined): void }[] = [];
  const port: McpConsentPort = {
    remembered: () => memory,
    remember: (decisions) => Object.assign(memory, decisions),
    askToStartServer: (view) => new Promise((resolve) => asked.push({ view, answer: resolve })),
  };
  return { port, asked, memory };
}

describe('MCP: trust', function () {
  this.timeout(30_000);
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.service.dispose()));
  });

  it('a workspace stdio server does not start before consent, and starts after; the prompt shows command, args, cwd and env names', async () => {
    const consent = consentPort();
    const h = harness([stdioServer('repo-tools', faultyServer, ['--flag'], 'workspace', { API_TOKEN: '${secret:t}', MODE: 'x' })], { consent: consent.port });
    started.push(h);
    h.secrets.set(mcpSecretKey(h.servers[0] as McpServerDefinition, 't'), 'secret-value-123');
    const starting = h.service.start();
    await eventually(() => consent.asked.length === 1, 'the question');
    assert.equal(status(h.service, 'repo-tools').state.kind, 'waiting-for-consent');
    assert.equal(h.registry.all('tool').length, 0, 'nothing runs before the user answers');
    const view = consent.asked[0]?.view;
    assert.deepEqual(view && { ...view, cwd: typeof view.cwd }, { name: 'repo-tools', file: '/config/workspace.yaml', command: process.execPath, args: [faultyServer, '--flag'], cwd: 'string', envNames: ['API_TOKEN', 'MODE'] });
    assert.doesNotMatch(JSON.stringify(view), /secret-value-123/);
    consent.asked[0]?.answer(true);
    await starting;
    assert.equal(status(h.service, 'repo-tools').state.kind, 'connected');
    assert.ok(h.registry.all('tool').length > 0);
  });

  it('a declined server does not start; the answer is remembered; changed args ask again', async () => {
    const consent = consentPort();
    const h = harness([stdioServer('repo-tools', faultyServer, ['--one'], 'workspace')], { consent: consent.port });
    started.push(h);
    const first = h.service.start();
    await eventually(() => consent.asked.length === 1, 'the question');
    consent.asked[0]?.answer(false);
    await first;
    assert.equal(status(h.service, 'repo-tools').state.kind, 'declined');

    await h.service.start();
    assert.equal(consent.asked.length, 1, 'the same server is not asked about again');

    h.servers = [stdioServer('repo-tools', faultyServer, ['--two'], 'workspace')];
    const second = h.service.start();
    await eventually(() => consent.asked.length === 2, 'the second question');
    assert.deepEqual(consent.asked[1]?.view.args, [faultyServer, '--two']);
    consent.asked[1]?.answer(true);
    await second;
    assert.equal(status(h.service, 'repo-tools').state.kind, 'connected');
  });

  it('an untrusted workspace never starts its stdio server, and nobody is asked', async () => {
    const consent = consentPort();
    const h = harness([stdioServer('repo-tools', faultyServer, [], 'workspace')], { consent: consent.port, trusted: false });
    started.push(h);
    await h.service.start();
    assert.deepEqual(status(h.service, 'repo-tools').state, { kind: 'refused', reason: 'the workspace is not trusted' });
    assert.equal(consent.asked.length, 0);
  });

  it("the user's own servers are not asked about", async () => {
    const consent = consentPort();
    const h = harness([stdioServer('mine', faultyServer)], { consent: consent.port });
    started.push(h);
    await h.service.start();
    assert.equal(status(h.service, 'mine').state.kind, 'connected');
    assert.equal(consent.asked.length, 0);
  });

  it("a workspace HTTP server's ${secret:x} reads only the secret set for that server name and origin", async () => {
    const secrets = new Map<string, string>();
    const port = { get: async (key: string) => secrets.get(key), store: async () => undefined, delete: async () => undefined };
    const mine: McpServerDefinition = { name: 'issues', scope: 'global', file: '/g.yaml', transport: { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer ${secret:tok}' } } };
    const theirs: McpServerDefinition = { ...mine, name: 'repo-issues', scope: 'workspace', file: '/ws/.patchbay/config.yaml', transport: { ...mine.transport, url: 'http://10.0.0.9:3001/mcp' } as McpServerDefinition['transport'] };
    secrets.set(mcpSecretKey(mine, 'tok'), 'users-token-abc');
    const redactor = new Redactor();
    assert.deepEqual((await withSecrets(mine, port, redactor)).type === 'http' && (await withSecrets(mine, port, redactor)), { type: 'http', url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer users-token-abc' } });
    await assert.rejects(withSecrets(theirs, port, redactor), /the secret "tok" is not set for this workspace server/);
    // Set for the same name at another origin: still not this server's.
    secrets.set(mcpSecretKey({ ...theirs, transport: { ...mine.transport } }, 'tok'), 'for-another-origin');
    await assert.rejects(withSecrets(theirs, port, redactor), /is not set/);
    secrets.set(mcpSecretKey(theirs, 'tok'), 'set-for-this-server');
    const resolved = await withSecrets(theirs, port, redactor);
    assert.equal(resolved.type !== 'stdio' && resolved.headers.Authorization, 'Bearer set-for-this-server');
    assert.equal(redactor.redact('sent set-for-this-server'), 'sent [redacted]');
  });
});
