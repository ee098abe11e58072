/** "Add Context → MCP Resource…": the resources of connected servers, and the chosen one's text as a context chip. */
import assert from 'node:assert/strict';
import { matchingResources, mcpResourceAttachment, mcpResourceChoices, mentionPathOf, resourceOfMention, type McpResourceChoice } from '../../../src/core/mcp/mcpResourceContext';
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

  it('offers resources to an `@` mention by name or address, and finds the picked one again from its path', () => {
    const choices: McpResourceChoice[] = [
      { server: 'docs/site', uri: 'file:///guide/setup.md', name: 'Setup guide' },
      { server: 'docs/site', uri: 'file:///guide/faq.md', name: 'FAQ' },
      { server: 'issues', uri: 'issue://123', name: 'Crash on setup' },
    ];
    assert.deepEqual(matchingResources(choices, 'set').map((choice) => choice.name), ['Setup guide', 'Crash on setup']);
    assert.deepEqual(matchingResources(choices, 'faq.md').map((choice) => choice.name), ['FAQ']);
    assert.deepEqual(matchingResources(choices, 'nothing'), []);
    for (const choice of choices) assert.deepEqual(resourceOfMention(mentionPathOf(choice), choices), choice);
    assert.equal(resourceOfMention('mcp:issues/issue://999', choices), undefined, 'a resource no longer offered');
    assert.equal(resourceOfMention('src/setup.md', choices), undefined, 'a file path');
  });
});
