/** The composition root: one explicit start, which nothing inside an answer triggers. */
import assert from 'node:assert/strict';
import { ChatServices } from '../../../src/core/chatServices';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { silentLogger } from '../../../src/core/ports';
import { Redactor } from '../../../src/core/util/redactor';
import { bundledPlugins, memorySecrets } from '../../support/testBackend';

function unstartedServices(prepared: string[]): ChatServices {
  let id = 0;
  return new ChatServices({
    prepare: async () => void prepared.push('prepare'),
    pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }],
    pluginRules: () => ({ workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }),
    pluginSettings: () => undefined,
    endpointLayers: () => [],
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 5000, generation: {} }),
    secrets: memorySecrets(),
    log: silentLogger,
    redactor: new Redactor(),
    loadConversation: () => undefined,
    saveConversation: () => undefined,
    loadSelectedModel: () => undefined,
    saveSelectedModel: () => undefined,
    newId: () => `id-${++id}`,
  });
}

describe('ChatServices', () => {
  it('an answer sent before start() waits for it and loads no plugin itself', async () => {
    const prepared: string[] = [];
    const services = unstartedServices(prepared);
    const sent = services.conversations.send('anyone?');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(prepared, []);
    assert.deepEqual(services.plugins.records(), []);
    assert.equal(services.isStarted, false);

    await services.start();
    await sent;
    const answer = services.conversations.conversation.turns.at(-1) as AssistantTurn;
    assert.equal(answer.problem?.message, 'No model is selected.');
    assert.deepEqual(prepared, ['prepare']);
    assert.ok(services.plugins.records().length > 0);
    await services.dispose();
  });
});
