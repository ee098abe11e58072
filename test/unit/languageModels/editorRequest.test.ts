import assert from 'node:assert/strict';
import { chatRequestFor, type EditorMessage } from '../../../src/core/languageModels/editorRequest';

describe('a request from vscode.lm as a Patchbay chat request', () => {
  it('moves tool calls onto the assistant message and makes each result a tool message answering its call', () => {
    const messages: EditorMessage[] = [
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'Weather in ' }, { kind: 'text', text: 'Oslo?' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'Checking.' }, { kind: 'toolCall', callId: 'c1', name: 'weather', input: { city: 'Oslo' } }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', text: '4 °C, rain' }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c9', text: 'orphan' }, { kind: 'text', text: 'And tomorrow?' }] },
    ];
    const request = chatRequestFor('llama3.1:8b', messages, { tools: [{ name: 'weather', description: 'Weather now' }] }, { temperature: 0.2 });
    assert.deepEqual(request, {
      model: 'llama3.1:8b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', content: '4 °C, rain', toolCallId: 'c1', name: 'weather' },
        { role: 'tool', content: 'orphan', toolCallId: 'c9' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      options: { temperature: 0.2 },
      tools: [{ name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: {} } }],
    });
  });

  it("takes the caller's sampling options under OpenAI's names or ours, over the user's, and ignores what is not a number", () => {
    const request = chatRequestFor('m', [], { modelOptions: { temperature: 0.9, top_p: 0.5, max_tokens: 100.7, stop: 'END', seed: 'x' } }, { temperature: 0.1, maxTokens: 10 });
    assert.deepEqual(request.options, { temperature: 0.9, topP: 0.5, maxTokens: 100, stop: ['END'] });
    assert.equal(request.tools, undefined);
    assert.deepEqual(chatRequestFor('m', [], { modelOptions: { temperature: 'hot' } }, { temperature: 0.1 }).options, { temperature: 0.1 });
  });
});
