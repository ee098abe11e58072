/** What goes wrong with MCP servers, against a fixture server of our own (test/fixtures/mcp) and bad commands. */
import assert from 'node:assert/strict';
import { canAlwaysAllow } from '../../../src/core/tools/toolPolicy';
import { ManualClock } from '../../support/manualClock';
import { callContext, eventually, faultyServer, harness, status, stdioServer, tool, type Harness } from './mcpHarness';

describe('MCP: faults', function () {
  this.timeout(30_000);
  const started: Harness[] = [];
  const start = async (...args: Parameters<typeof harness>) => {
    const h = harness(...args);
    started.push(h);
    await h.service.start();
    return h;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.service.dispose()));
  });

  it('a command that does not exist fails with "could not start `…` (ENOENT)", and the other servers run', async () => {
    const h = await start([
      { name: 'missing', scope: 'global', file: '/c.yaml', transport: { type: 'stdio', command: 'no-such-mcp-server-xyz', args: [], env: {} } },
      stdioServer('faulty', faultyServer),
    ]);
    assert.deepEqual(status(h.service, 'missing').state, { kind: 'failed', error: 'could not start `no-such-mcp-server-xyz` (ENOENT)', stderrTail: [] });
    assert.equal(status(h.service, 'faulty').state.kind, 'connected');
  });

  it('a server that exits while starting fails with its stderr tail', async () => {
    const h = await start([stdioServer('quits', faultyServer, [], 'global', { FIXTURE_EXIT_AT_START: '1' })]);
    const state = status(h.service, 'quits').state;
    assert.equal(state.kind, 'failed');
    if (state.kind !== 'failed') return;
    assert.match(state.error, /exited before it finished starting/);
    await eventually(() => state.stderrTail.includes('fixture: exiting at start as asked'), 'the stderr tail');
  });

  it('an error result is a thrown tool error with the server\'s text', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    await assert.rejects(tool(h.registry, 'faulty', 'fail').invoke({}, callContext()), {
      message: 'the tool "fail" of MCP server "faulty" reported an error: the disk is full',
    });
  });

  it('Stop cancels a call that hangs, and the server keeps answering', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    const stop = new AbortController();
    const call = tool(h.registry, 'faulty', 'hang').invoke({}, callContext(stop.signal));
    setTimeout(() => stop.abort(new Error('stopped by the user')), 100);
    await assert.rejects(call, /stopped by the user/);
    assert.equal(await tool(h.registry, 'faulty', 'read_note').invoke({}, callContext()), 'read_note done');
  });

  it('a call that hangs past the per-call timeout fails with a clear error', async () => {
    const h = await start([stdioServer('faulty', faultyServer)], { callTimeoutMs: 300 });
    await assert.rejects(tool(h.registry, 'faulty', 'hang').invoke({}, callContext()), /timed out/i);
  });

  it('a huge result is cut to 1,000,000 characters with a note', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    const text = String(await tool(h.registry, 'faulty', 'huge').invoke({}, callContext()));
    assert.ok(text.startsWith('x'.repeat(1_000)));
    assert.match(text, /\[Cut: the tool returned 3,000,000 characters; the first 1,000,000 are kept\.\]$/);
    assert.ok(text.length < 1_000_200);
  });

  it('a line on stdout that is not JSON-RPC is logged and skipped; the call still answers', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    assert.equal(await tool(h.registry, 'faulty', 'garbage').invoke({}, callContext()), 'answered after the garbage');
    assert.ok(h.logs.some((line) => line.startsWith('[mcp:faulty] protocol error:')), h.logs.join('\n'));
    assert.equal(status(h.service, 'faulty').state.kind, 'connected');
  });

  it('readOnlyHint makes a reading call; destructiveHint is asked about every time', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    const read = tool(h.registry, 'faulty', 'read_note').describeCall?.({});
    const write = tool(h.registry, 'faulty', 'write_note').describeCall?.({});
    assert.deepEqual([read?.method, canAlwaysAllow(read?.method)], ['READ', true]);
    assert.deepEqual([write?.method, canAlwaysAllow(write?.method)], ['CALL', false]);
  });

  it('tools/list_changed lists the tools again and registers the new one', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    assert.throws(() => tool(h.registry, 'faulty', 'added'));
    await tool(h.registry, 'faulty', 'add_tool').invoke({}, callContext());
    await eventually(() => h.registry.all('tool').some((item) => item.owner === 'faulty' && item.definition.name === 'added'), 'the new tool');
    assert.equal(await tool(h.registry, 'faulty', 'added').invoke({}, callContext()), 'added done');
  });

  it('a server that crashes mid-call: the call fails, its tools go, it restarts after 1 s, 2 s, 4 s, and after a minute connected from 1 s again', async () => {
    const clock = new ManualClock();
    const h = await start([stdioServer('faulty', faultyServer)], { clock });
    const crash = async (expectedDelay: number) => {
      await assert.rejects(tool(h.registry, 'faulty', 'crash').invoke({}, callContext()), /closed/i);
      await eventually(() => status(h.service, 'faulty').state.kind === 'failed', 'the failure');
      const state = status(h.service, 'faulty').state;
      assert.equal(state.kind === 'failed' && state.error, `the server exited or closed the connection; restarting in ${expectedDelay / 1000} s`);
      assert.deepEqual(status(h.service, 'faulty').tools, []);
      assert.equal(h.registry.all('tool').length, 0);
      await eventually(() => state.kind === 'failed' && state.stderrTail.includes('fixture: crashing now'), 'the stderr tail');
      clock.advance(expectedDelay - 1);
      assert.equal(status(h.service, 'faulty').state.kind, 'failed', 'not restarted before its delay');
      clock.advance(1);
      await eventually(() => status(h.service, 'faulty').state.kind === 'connected' && h.registry.all('tool').length > 0, 'the restart');
    };
    await crash(1_000);
    await crash(2_000);
    await crash(4_000);
    clock.advance(60_000);
    await crash(1_000);
  });

  it('restart() and stop() act on one server', async () => {
    const h = await start([stdioServer('faulty', faultyServer)]);
    await h.service.stop('faulty');
    assert.equal(status(h.service, 'faulty').state.kind, 'stopped');
    assert.equal(h.registry.all('tool').length, 0);
    await h.service.restart('faulty');
    assert.equal(status(h.service, 'faulty').state.kind, 'connected');
    assert.ok(h.registry.all('tool').length > 0);
  });

  it('a server named like a plugin is refused, so approval rules can tell their tools apart', async () => {
    const h = await start([stdioServer('weather', faultyServer)], { pluginIds: ['weather'] });
    const state = status(h.service, 'weather').state;
    assert.equal(state.kind, 'refused');
    assert.match(state.kind === 'refused' ? state.reason : '', /a plugin has the id "weather"/);
    assert.equal(h.registry.all('tool').length, 0);
  });

  it('the initialize handshake times out with a clear error', async () => {
    const clock = new ManualClock();
    // `node -e` with a script that reads stdin and never answers.
    const h = harness([{ name: 'silent', scope: 'global', file: '/c.yaml', transport: { type: 'stdio', command: process.execPath, args: ['-e', 'process.stdin.resume()'], env: {} } }], { clock, initializeTimeoutMs: 5_000 });
    started.push(h);
    const starting = h.service.start();
    await clock.advanceWhenDue(5_000);
    await starting;
    const state = status(h.service, 'silent').state;
    assert.equal(state.kind === 'failed' && state.error, `\`${process.execPath}\` did not finish the MCP initialize handshake within 5 s`);
  });
});
