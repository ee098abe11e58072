/** "Add Context → MCP Resource…": the resources of connected servers, and the chosen one's text as a context chip. */
import assert from 'node:assert/strict';
import { mcpResourceAttachment, mcpResourceChoices } from '../../../src/core/mcp/mcpResourceContext';
import { everythingServer, faultyServer, harness, status, stdioServer, type Harness } from './mcpHarness';

describe('MCP: resources as context', function () {
  this.timeout(30_000);
  let h: Harness;
  afterEach(() => h?.service.dispose());

  it('lists the resources of every connected server, and attaches a chosen one as its text', async () => {
    h = harness([stdioServer('everything', everythingServer, ['stdio']), stdioServer('gone', faultyServer, [], 'global', { FIXTURE_EXIT_AT_START: '1' })]);
    await h.service.start();
    assert.equal(status(h.service, 'everything').state.kind, 'connected');
    const choices = await mcpResourceChoices(h.service);
    assert.ok(choices.length > 0);
    assert.ok(choices.every((choice) => choice.server === 'everything'), 'only connected servers are asked');
    const doc = choices.find((choice) => choice.uri.endsWith('.md'));
    assert.ok(doc, choices.map((choice) => choice.uri).join(', '));
    const attachment = await mcpResourceAttachment(h.service, doc);
    assert.equal(attachment.kind, 'resource');
    assert.equal(attachment.label, `everything: ${doc.name}`);
    assert.equal(attachment.language, 'markdown');
    assert.equal(attachment.text, await h.service.readResource('everything', doc.uri));
    assert.ok(attachment.text.length > 0);
  });
});
