import assert from 'node:assert/strict';
import type { ModelsState } from '../../../src/protocol/messages';
import { buildModelChoices } from '../../../src/webview/view/modelChoices';

const state: ModelsState = {
  loading: false,
  selected: { providerId: 'lmstudio', modelId: 'org/model:7b "q4"' },
  groups: [
    { providerId: 'ollama', label: 'Ollama', models: [{ id: 'llama3.1:8b', label: 'llama3.1:8b', detail: '128k context' }] },
    { providerId: 'lmstudio', label: 'LM Studio', models: [{ id: 'a/b', label: 'a/b' }, { id: 'org/model:7b "q4"', label: 'Model 7B' }] },
    { providerId: 'vllm', label: 'vLLM', models: [], problem: { kind: 'connection', message: 'Connection refused', actions: [] } },
  ],
};

describe('buildModelChoices', () => {
  it('maps option values back to ids that contain any character', () => {
    const choices = buildModelChoices(state);
    const refs = [...choices.byValue.values()];
    assert.deepEqual(refs, [
      { providerId: 'ollama', modelId: 'llama3.1:8b' },
      { providerId: 'lmstudio', modelId: 'a/b' },
      { providerId: 'lmstudio', modelId: 'org/model:7b "q4"' },
    ]);
    for (const group of choices.groups) {
      for (const choice of group.choices) assert.ok(choices.byValue.has(choice.value));
    }
  });

  it('finds the selected model', () => {
    const choices = buildModelChoices(state);
    assert.ok(choices.selectedValue !== undefined);
    assert.deepEqual(choices.byValue.get(choices.selectedValue), state.selected);
    assert.equal(choices.missingSelection, undefined);
  });

  it('keeps groups in order with their labels, details and problems', () => {
    const choices = buildModelChoices(state);
    assert.deepEqual(choices.groups.map((g) => g.label), ['Ollama', 'LM Studio', 'vLLM']);
    assert.equal(choices.groups[0]?.choices[0]?.detail, '128k context');
    assert.equal(choices.groups[2]?.unavailable, '— unavailable: Connection refused');
    assert.equal(choices.groups[0]?.unavailable, undefined);
    assert.equal(choices.modelCount, 3);
  });

  it('reports a selected model that is not in the list', () => {
    const choices = buildModelChoices({ ...state, selected: { providerId: 'ollama', modelId: 'gone' } });
    assert.equal(choices.selectedValue, undefined);
    assert.deepEqual(choices.missingSelection, { providerId: 'ollama', modelId: 'gone' });
  });

  it('counts no models when every provider is empty', () => {
    const choices = buildModelChoices({ loading: false, groups: [{ providerId: 'ollama', label: 'Ollama', models: [] }] });
    assert.equal(choices.modelCount, 0);
    assert.equal(choices.selectedValue, undefined);
  });
});

describe('buildModelChoices for a workspace endpoint', () => {
  it('says the group comes from the workspace and names the host it talks to', () => {
    const choices = buildModelChoices({
      loading: false,
      groups: [
        { providerId: 'mine', label: 'My vLLM', models: [{ id: 'm', label: 'm' }] },
        { providerId: 'theirs', label: 'Team box', workspaceHost: '10.0.0.5:8000', models: [{ id: 'm', label: 'm' }] },
      ],
    });
    assert.deepEqual(choices.groups.map((group) => group.label), ['My vLLM', 'Team box (workspace · 10.0.0.5:8000)']);
  });
});
