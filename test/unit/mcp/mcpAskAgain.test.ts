/** "Allow and Start" on a declined workspace server: the user is asked again, and an allowed server starts. */
import assert from 'node:assert/strict';
import type { McpConsentPort, McpStartView } from '../../../src/core/mcp/mcpConsent';
import { eventually, faultyServer, harness, status, stdioServer, type Harness } from './mcpHarness';

function consentPort() {
  const memory: Record<string, boolean> = {};
  const asked: { view: McpStartView; answer(value: boolean | undefined): void }[] = [];
  const port: McpConsentPort = {
    remembered: () => ({ ...memory }),
    remember: (decisions) => {
      for (const key of Object.keys(memory)) delete memory[key];
      Object.assign(memory, decisions);
    },
    askToStartServer: (view) => new Promise((resolve) => asked.push({ view, answer: resolve })),
  };
  return { port, asked, memory };
}

describe('MCP: asking again about a declined server', function () {
  this.timeout(30_000);
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.service.dispose()));
  });

  for (const [how, answer] of [['declined', false], ['dismissed', undefined]] as const) {
    it(`a server whose prompt was ${how} is asked about again, and starts once allowed`, async () => {
      const consent = consentPort();
      const h = harness([stdioServer('repo-tools', faultyServer, [], 'workspace')], { consent: consent.port });
      started.push(h);
      const first = h.service.start();
      await eventually(() => consent.asked.length === 1, 'the first question');
      consent.asked[0]?.answer(answer);
      await first;
      assert.equal(status(h.service, 'repo-tools').state.kind, 'declined');

      await h.service.restart('repo-tools');
      assert.equal(consent.asked.length, 1, 'Restart keeps the answer');

      const again = h.service.askAgain('repo-tools');
      await eventually(() => consent.asked.length === 2, 'the second question');
      assert.equal(status(h.service, 'repo-tools').state.kind, 'waiting-for-consent');
      consent.asked[1]?.answer(true);
      await again;
      assert.equal(status(h.service, 'repo-tools').state.kind, 'connected');
      assert.ok(h.registry.all('tool').length > 0);
      assert.deepEqual(Object.values(consent.memory), [true], 'the new answer replaces the old one');
    });
  }
});
