import assert from 'node:assert/strict';
import { contextMentionPath, parseContextMentionPath, providerMentionAt } from '../../../src/protocol/contextMention';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { parseHostMessage } from '../../../src/webview/hostMessages';
import { bareMentionAt } from '../../../src/webview/view/fileMention';

describe('@ mentions of context providers', () => {
  it('a provider and a suggestion travel through the suggestion list as paths and come back whole', () => {
    assert.deepEqual(parseContextMentionPath(contextMentionPath('git')), { provider: 'git' });
    assert.deepEqual(parseContextMentionPath(contextMentionPath('url', 'https://example.test/a?b=c d')), { provider: 'url', query: 'https://example.test/a?b=c d' });
    assert.deepEqual(parseContextMentionPath(contextMentionPath('a.issue', '')), { provider: 'a.issue', query: '' });
    assert.equal(parseContextMentionPath('src/context:x.ts'), undefined);
    assert.equal(parseContextMentionPath('mcp:server/x'), undefined);
  });

  it('finds the `@provider query` the caret is in, the query running to the caret', () => {
    const text = 'see @url https://example.test/a b';
    assert.deepEqual(providerMentionAt(text, text.length, ['url', 'git']), { provider: 'url', query: 'https://example.test/a b', start: 4, end: text.length });
    assert.deepEqual(providerMentionAt('@url ', 5, ['url']), { provider: 'url', query: '', start: 0, end: 5 });
    // Not a known provider, not at a word start, not on the caret's line, or no space after the name yet.
    assert.equal(providerMentionAt('@urls x', 7, ['url']), undefined);
    assert.equal(providerMentionAt('me@url x', 8, ['url']), undefined);
    assert.equal(providerMentionAt('@url x\nnext', 11, ['url']), undefined);
    assert.equal(providerMentionAt('@url', 4, ['url']), undefined);
    assert.equal(providerMentionAt('@url x', undefined, ['url']), undefined);
  });

  it('a bare "@" starting a word opens the list of providers', () => {
    assert.deepEqual(bareMentionAt('@', 1), { query: '', start: 0, end: 1 });
    assert.deepEqual(bareMentionAt('ask @ now', 5), { query: '', start: 4, end: 5 });
    assert.equal(bareMentionAt('me@', 3), undefined);
    assert.equal(bareMentionAt('@x', 1), undefined);
  });

  it('the protocol checks the new messages and the providers in the plugin UI', () => {
    assert.ok('message' in parseWebviewMessage({ type: 'addProviderContext', requestId: 'r1', provider: 'url', query: 'https://example.test' }));
    assert.ok('rejected' in parseWebviewMessage({ type: 'addProviderContext', requestId: 'r1', provider: 'url' }));
    assert.ok('rejected' in parseWebviewMessage({ type: 'suggestContext', requestId: 'r1', provider: 7, query: '' }));
    const ui = parseHostMessage({ type: 'pluginUi', pluginUi: { actions: [], slashCommands: [], contextProviders: [{ name: 'git', description: 'd' }, { name: 'two words', description: 'd' }, { name: 'url', description: 'd', queryHint: 'a URL' }] } });
    assert.ok('message' in ui && ui.message.type === 'pluginUi');
    assert.deepEqual((ui.message.pluginUi.contextProviders ?? []).map((provider) => provider.name), ['git', 'url']);
    assert.ok('rejected' in parseHostMessage({ type: 'pluginUi', pluginUi: { actions: [], slashCommands: [], contextProviders: [{ name: 'git' }] } }));
    assert.ok('message' in parseHostMessage({ type: 'providerContextAdded', requestId: 'r1', ok: false }));
  });
});
