import assert from 'node:assert/strict';
import { ASSUMED_WINDOW_TOKENS, modelOfOfferedId, offeredModels } from '../../../src/core/languageModels/offeredModels';
import type { ProviderModels } from '../../../src/core/providers/providerCatalog';

const groups: ProviderModels[] = [
  {
    providerId: 'ollama',
    label: 'Ollama',
    source: 'discovered',
    models: [
      { id: 'llama3.1:8b', contextLength: 131_072, capabilities: { tools: true } },
      { id: 'phi3:mini', contextLength: 4_096, capabilities: { tools: false } },
    ],
  },
  { providerId: 'lab/vllm', label: 'Lab vLLM', source: 'settings', models: [{ id: 'Qwen/Qwen2.5-7B-Instruct', label: 'Qwen 2.5 7B' }] },
  { providerId: 'down', label: 'Down', source: 'settings', models: [], problem: { kind: 'connection', message: 'refused' } as ProviderModels['problem'] & object },
];

describe('models offered to VS Code (vscode.lm)', () => {
  it('offers every listed model with its provider, family, limits and tool calling', () => {
    const offered = offeredModels(groups, { maxAnswerTokens: 2_000, toolsOff: (model) => model.modelId === 'Qwen/Qwen2.5-7B-Instruct' });
    assert.deepEqual(
      offered.map((model) => [model.id, model.name, model.family, model.version, model.detail, model.maxInputTokens, model.maxOutputTokens, model.toolCalling]),
      [
        ['ollama/llama3.1:8b', 'llama3.1:8b', 'llama3.1', '8b', 'Ollama', 129_072, 2_000, true],
        // A model without native tools gets them in the prompt; tools off for a model means none.
        ['ollama/phi3:mini', 'phi3:mini', 'phi3', 'mini', 'Ollama', 2_096, 2_000, true],
        ['lab%2Fvllm/Qwen/Qwen2.5-7B-Instruct', 'Qwen 2.5 7B', 'qwen2.5-7b-instruct', '', 'Lab vLLM', ASSUMED_WINDOW_TOKENS - 2_000, 2_000, false],
      ],
    );
  });

  it('keeps room for the answer inside a small window, and takes config.yaml\'s context length over the server\'s', () => {
    const [small] = offeredModels([{ ...groups[0]!, models: [{ id: 'tiny', contextLength: 2_048 }] }]);
    assert.equal(small!.maxOutputTokens, 1_024);
    assert.equal(small!.maxInputTokens, 1_024);
    const [configured] = offeredModels([{ ...groups[0]!, models: [{ id: 'tiny', contextLength: 2_048 }] }], { contextLengthOf: () => 32_768, maxAnswerTokens: 1_000 });
    assert.equal(configured!.maxInputTokens, 31_768);
  });

  it('finds the model again from its id, whatever the provider and model names hold', () => {
    for (const model of offeredModels(groups)) {
      const ref = modelOfOfferedId(model.id);
      assert.ok(ref && groups.some((group) => group.providerId === ref.providerId && group.models.some((item) => item.id === ref.modelId)), model.id);
    }
    assert.equal(modelOfOfferedId('no-slash'), undefined);
    assert.equal(modelOfOfferedId('/model'), undefined);
  });
});
