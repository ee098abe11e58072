/**
 * Endpoint `headers:` (literal or `${secret:name}` from secret storage, bound to the
 * endpoint's origin) and `apiKeyEnv:` (user config only), through the real backend and both
 * bundled providers against the fake model server.
 */
import assert from 'node:assert/strict';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import type { ProviderDeclaration } from '../../../src/core/config/configTypes';
import type { EndpointLayer, RefusedEndpoint } from '../../../src/core/providers/endpointLayers';
import { FakeModelServer, type RecordedRequest } from '../../support/fakeModelServer';
import { testBackend, type TestBackend } from '../../support/testBackend';

describe('endpoint headers and apiKeyEnv', function () {
  this.timeout(20_000);
  let models: FakeModelServer;
  let test: TestBackend | undefined;

  beforeEach(async () => {
    models = await FakeModelServer.start();
  });

  afterEach(async () => {
    await test?.backend.dispose();
    test = undefined;
    await models.close();
  });

  const chatRequests = (): RecordedRequest[] => models.requests.filter((r) => r.path.endsWith('/chat/completions') || r.path === '/api/chat');
  const answer = () => test!.backend.conversations.conversation.turns.at(-1) as AssistantTurn;

  async function start(layers: EndpointLayer[], modelId: string, environment: Record<string, string> = {}, refused: RefusedEndpoint[] = []): Promise<TestBackend> {
    test = testBackend({
      endpointLayers: () => layers,
      loadSelectedModel: () => ({ providerId: 'lab', modelId }),
      environment: () => environment,
      onEndpointsRefused: (items) => void refused.push(...items),
    });
    await test.backend.start();
    return test;
  }

  for (const type of ['openai-compatible', 'ollama'] as const) {
    it(`${type}: sends the endpoint's headers, a secret reference filled in from secret storage and kept out of the log`, async () => {
      const baseUrl = type === 'ollama' ? models.url : models.openAiBaseUrl;
      const provider: ProviderDeclaration = { id: 'lab', type, baseUrl, headers: { 'X-Team': 'lab', 'X-Token': '${secret:lab-token}' } };
      const { backend, logs } = await start([{ source: 'global-config', providers: [provider] }], type === 'ollama' ? 'fake-llama:latest' : 'fake-model');
      await backend.models.headerSecrets.set(baseUrl, 'lab-token', 'tok-9f8e7d6c5b');
      await backend.models.refresh();
      await backend.conversations.send('hi');
      assert.equal(answer().status, 'complete', answer().problem?.message);
      const sent = chatRequests()[0]?.headers;
      assert.deepEqual([sent?.['x-team'], sent?.['x-token']], ['lab', 'tok-9f8e7d6c5b']);
      const listing = models.requests.find((r) => r.path.endsWith('/models') || r.path === '/api/tags');
      assert.equal(listing?.headers['x-token'], 'tok-9f8e7d6c5b', 'model listing sends them too');
      assert.ok(!logs.some((line) => line.includes('tok-9f8e7d6c5b')));
      assert.doesNotMatch(test!.redactor.redact('a server echoed tok-9f8e7d6c5b'), /tok-9f8e7d6c5b/, 'the secret is known to the redactor');
    });
  }

  it('a workspace endpoint resolves only secrets saved for its own origin, and says which is missing', async () => {
    const provider: ProviderDeclaration = { id: 'lab', type: 'openai-compatible', baseUrl: models.openAiBaseUrl, headers: { 'X-Token': '${secret:lab-token}' } };
    const { backend } = await start([{ source: 'workspace-config', providers: [provider] }], 'fake-model');
    await backend.models.headerSecrets.set('http://10.0.0.5:8000/v1', 'lab-token', 'tok-for-another-server');
    await backend.models.refresh();
    await backend.conversations.send('hi');
    assert.equal(answer().status, 'failed');
    assert.match(answer().problem?.message ?? '', /header "X-Token" of endpoint "lab" uses the secret "lab-token", which is not set for http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(!models.requests.some((r) => JSON.stringify(r.headers).includes('tok-for-another-server')));
  });

  it('takes the API key from the environment variable apiKeyEnv names, in the user\'s config', async () => {
    const provider: ProviderDeclaration = { id: 'lab', type: 'openai-compatible', baseUrl: models.openAiBaseUrl, apiKeyEnv: 'LAB_API_KEY' };
    const { backend, logs } = await start([{ source: 'global-config', providers: [provider] }], 'fake-model', { LAB_API_KEY: 'sk-env-1234567890' });
    await backend.models.refresh();
    await backend.conversations.send('hi');
    assert.equal(chatRequests()[0]?.headers.authorization, 'Bearer sk-env-1234567890');
    assert.ok(!logs.some((line) => line.includes('sk-env-1234567890')));
    assert.doesNotMatch(test!.redactor.redact('key abcd sk-env-1234567890'), /sk-env-1234567890/);
  });

  it('refuses apiKeyEnv in a workspace config with a clear problem, and reads no variable', async () => {
    const refused: RefusedEndpoint[] = [];
    const provider: ProviderDeclaration = { id: 'lab', type: 'openai-compatible', baseUrl: models.openAiBaseUrl, apiKeyEnv: 'HOME' };
    const { backend } = await start([{ source: 'workspace-config', providers: [provider], file: '/ws/.patchbay/config.yaml' }], 'fake-model', { HOME: '/home/someone' }, refused);
    const snapshot = await backend.models.refresh();
    assert.deepEqual(snapshot.groups.map((group) => group.providerId), []);
    assert.equal(refused.length, 1);
    assert.match(refused[0]!.message, /apiKeyEnv.*only in your user settings or global config/);
    assert.deepEqual(chatRequests(), []);
  });
});
