/** config.yaml's `models:` aliases and per-model defaults, through the chat's own services and a fake server. */
import assert from 'node:assert/strict';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import type { ModelEntryProblem, ModelLayer } from '../../../src/core/providers/modelAliases';
import { ALIAS_PROVIDER_ID } from '../../../src/core/providers/modelAliases';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { FakeModelServer } from '../../support/fakeModelServer';
import { fakeEndpoint, testBackend } from '../../support/testBackend';

interface SentBody {
  model: string;
  temperature?: number;
  max_tokens?: number;
  messages: { role: string; content: string }[];
}

describe('model aliases and per-model defaults (config.yaml models:)', () => {
  let server: FakeModelServer;
  beforeEach(async () => (server = await FakeModelServer.start()));
  afterEach(async () => server.close());

  function backendWith(layers: ModelLayer[], generation: Record<string, number> = {}, problems: ModelEntryProblem[][] = []) {
    return testBackend({
      endpointLayers: () => fakeEndpoint(server.openAiBaseUrl),
      modelLayers: () => layers,
      onModelProblems: (found) => void problems.push([...found]),
      settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 5000, generation }),
    });
  }

  function lastChatBody(): SentBody {
    const request = server.requests.filter((item) => item.path.endsWith('/chat/completions')).at(-1);
    assert.ok(request, 'the server got no chat request');
    return request.json as SentBody;
  }

  it('lists an alias in the model picker with its target', async () => {
    const { backend } = backendWith([{ source: 'global-config', models: { fast: { use: 'fake/fake-model', temperature: 0.2 } } }]);
    const snapshot = await backend.models.refresh();
    const aliases = snapshot.groups.find((group) => group.providerId === ALIAS_PROVIDER_ID);
    assert.deepEqual(aliases?.models.map((model) => model.id), ['fast']);
    assert.match(aliases?.models[0]?.details ?? '', /fake\/fake-model/);
    await backend.dispose();
  });

  it('answers with the target model, its defaults applied under the user’s explicit settings', async () => {
    const layers: ModelLayer[] = [{ source: 'global-config', models: { fast: { use: 'fake/fake-model', temperature: 0.2, maxTokens: 300, systemPrompt: 'Answer in one line.' } } }];
    const { backend } = backendWith(layers, { temperature: 0.9 });
    await backend.models.refresh();
    backend.models.select({ providerId: ALIAS_PROVIDER_ID, modelId: 'fast' });
    await backend.conversations.send('hello');
    const body = lastChatBody();
    assert.equal(body.model, 'fake-model');
    assert.equal(body.temperature, 0.9, 'the user’s own temperature wins over the alias default');
    assert.equal(body.max_tokens, 300);
    assert.deepEqual(body.messages[0], { role: 'system', content: 'Answer in one line.' });
    const answer = backend.conversations.conversation.turns.at(-1) as AssistantTurn;
    assert.equal(answer.status, 'complete');
    assert.match(answer.model?.label ?? '', /^fast → fake-model/);
    await backend.dispose();
  });

  it('applies defaults given for a plain model id to that model', async () => {
    const { backend } = backendWith([{ source: 'global-config', models: { 'fake-model': { temperature: 0.1, contextLength: 4096 } } }]);
    await backend.models.refresh();
    backend.models.select({ providerId: 'fake', modelId: 'fake-model' });
    await backend.conversations.send('hi');
    assert.equal(lastChatBody().temperature, 0.1);
    await backend.dispose();
  });

  it('resolves an alias by name where a model is named (a prompt template’s model:)', async () => {
    const { backend } = backendWith([{ source: 'global-config', models: { fast: { use: 'fake-model' } } }]);
    await backend.models.refresh();
    assert.deepEqual(backend.models.findModel('fast'), { providerId: ALIAS_PROVIDER_ID, modelId: 'fast' });
    await backend.dispose();
  });

  it('reports an alias whose target is missing, at the alias, and leaves it out of the picker', async () => {
    const problems: ModelEntryProblem[][] = [];
    const layers: ModelLayer[] = [{
      source: 'global-config',
      file: 'file:///home/config.yaml',
      models: { typo: { use: 'fake/fake-modle' }, gone: { use: 'nowhere/x' }, fine: { use: 'fake/fake-model' } },
    }];
    const { backend } = backendWith(layers, {}, problems);
    const snapshot = await backend.models.refresh();
    const reported = problems.at(-1) ?? [];
    assert.deepEqual(reported.map((problem) => [problem.name, problem.file, problem.field]), [
      ['typo', 'file:///home/config.yaml', 'use'],
      ['gone', 'file:///home/config.yaml', 'use'],
    ]);
    assert.match(reported[0]?.message ?? '', /alias "typo": "fake" does not list the model "fake-modle"/);
    assert.match(reported[1]?.message ?? '', /alias "gone": there is no endpoint or provider "nowhere"/);
    assert.deepEqual(snapshot.groups.find((group) => group.providerId === ALIAS_PROVIDER_ID)?.models.map((model) => model.id), ['fine']);
    backend.models.select({ providerId: ALIAS_PROVIDER_ID, modelId: 'typo' });
    await backend.conversations.send('hello');
    const answer = backend.conversations.conversation.turns.at(-1) as AssistantTurn;
    assert.match(answer.problem?.message ?? '', /alias "typo"/);
    await backend.dispose();
  });

  it('lets a workspace add aliases but never shadow the user’s alias, endpoint or listed model', async () => {
    const problems: ModelEntryProblem[][] = [];
    const workspaceFile = 'file:///repo/.patchbay/config.yaml';
    const layers: ModelLayer[] = [
      { source: 'global-config', models: { fast: { use: 'fake/fake-model', temperature: 0.2 } } },
      {
        source: 'workspace-config',
        file: workspaceFile,
        models: {
          fast: { use: 'fake/fake-slow', temperature: 1.5 },
          fake: { use: 'fake/fake-slow' },
          'fake-model': { use: 'fake/fake-slow' },
          team: { use: 'fake/fake-model' },
        },
      },
    ];
    const { backend } = backendWith(layers, {}, problems);
    const snapshot = await backend.models.refresh();
    assert.deepEqual(snapshot.groups.find((group) => group.providerId === ALIAS_PROVIDER_ID)?.models.map((model) => model.id), ['fast', 'team']);
    const refused = (problems.at(-1) ?? []).filter((problem) => problem.file === workspaceFile);
    assert.deepEqual(refused.map((problem) => problem.name), ['fast', 'fake', 'fake-model']);
    for (const problem of refused) assert.match(problem.message, /a workspace cannot/);
    assert.deepEqual(backend.models.findModel('fake-model'), { providerId: 'fake', modelId: 'fake-model' });
    backend.models.select({ providerId: ALIAS_PROVIDER_ID, modelId: 'fast' });
    await backend.conversations.send('hello');
    assert.equal(lastChatBody().model, 'fake-model');
    assert.equal(lastChatBody().temperature, 0.2);
    await backend.dispose();
  });

  it('config.yaml accepts aliases and defaults and locates a wrong value', () => {
    const good = parseConfig('models:\n  fast:\n    use: lab-vllm/qwen3-8b\n    temperature: 0.2\n    maxTokens: 512\n    systemPrompt: Be brief.\n  "qwen2.5-coder:7b": { contextLength: 32768 }\n');
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.config?.models?.['fast'], { use: 'lab-vllm/qwen3-8b', temperature: 0.2, maxTokens: 512, systemPrompt: 'Be brief.' });
    const bad = parseConfig('models:\n  fast:\n    use: lab-vllm/qwen3-8b\n    temperature: hot\n');
    assert.equal(bad.config, undefined);
    assert.equal(bad.problems[0]?.message, 'models.fast.temperature: must be a number');
    assert.equal(bad.problems[0]?.line, 4);
  });
});
