import assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/protocol/messages';
import { parseHostMessage } from '../../../src/webview/hostMessages';

function accepted(raw: unknown): HostToWebview {
  const parsed = parseHostMessage(raw);
  assert.ok('message' in parsed, `refused ${JSON.stringify(raw)}: ${'rejected' in parsed ? parsed.rejected : ''}`);
  return parsed.message;
}

function rejection(raw: unknown): string {
  const parsed = parseHostMessage(raw);
  assert.ok('rejected' in parsed, `accepted ${JSON.stringify(raw)}`);
  return parsed.rejected;
}

const userTurn = { id: 'u1', role: 'user', text: 'Hi', attachments: [], createdAt: 1 };
const answer = { id: 'a1', role: 'assistant', content: 'Hello', reasoning: '', status: 'complete', createdAt: 2 };
const conversation = { id: 'c1', title: 'T', turns: [userTurn, answer], createdAt: 1, updatedAt: 2 };
const models = { groups: [{ providerId: 'ollama', label: 'Ollama', models: [{ id: 'm1', label: 'm1' }] }], loading: false };
const pluginUi = { actions: [{ key: 'p/a1', label: 'Explain', plugin: 'explainer' }], slashCommands: [{ name: 'explain', description: 'Explain the code', source: 'built-in' }] };
const init = { type: 'init', page: { conversation, earlier: 0 }, models, busy: false, pluginUi, context: [] };

describe('parseHostMessage', () => {
  it('refuses what is not a known message, saying why', () => {
    assert.equal(rejection(null), 'not an object');
    assert.equal(rejection({ type: 'explode' }), 'unknown message type "explode"');
    assert.equal(rejection({ type: 'toString' }), 'unknown message type "toString"');
    assert.equal(rejection({ type: 'turnDelta' }), 'turnDelta.turnId is invalid');
    assert.equal(rejection({ type: 'busy', busy: 'yes' }), 'busy.busy is invalid');
  });

  it('accepts streamed text with either part, and refuses a part that is not text', () => {
    assert.deepEqual(accepted({ type: 'turnDelta', turnId: 't1', content: 'Hi' }), { type: 'turnDelta', turnId: 't1', content: 'Hi' });
    assert.deepEqual(accepted({ type: 'turnDelta', turnId: 't1', reasoning: 'Hm' }), { type: 'turnDelta', turnId: 't1', reasoning: 'Hm' });
    assert.equal(rejection({ type: 'turnDelta', turnId: 't1', reasoning: 'Hm', content: 5 }), 'turnDelta.content is invalid');
  });

  it('reads a status message with or without text', () => {
    assert.deepEqual(accepted({ type: 'status', text: 'Rate limited; retrying in 4 s' }), { type: 'status', text: 'Rate limited; retrying in 4 s' });
    assert.deepEqual(accepted({ type: 'status' }), { type: 'status' });
  });

  it('reads a whole init, and keeps only the fields the protocol declares', () => {
    assert.deepEqual(accepted(init), init);
    const padded = { ...init, extra: 'x', page: { conversation: { ...conversation, secret: 1, turns: [{ ...userTurn, junk: true }] }, earlier: 40 } };
    assert.deepEqual(accepted(padded), { ...init, page: { conversation: { ...conversation, turns: [userTurn] }, earlier: 40 } });
  });

  it('refuses an init with a malformed nested field, naming its path', () => {
    assert.equal(rejection({ ...init, page: undefined }), 'init.page is invalid');
    const badTurn = { ...init, page: { conversation: { ...conversation, turns: [userTurn, { ...answer, status: 'bogus' }] }, earlier: 0 } };
    assert.equal(rejection(badTurn), 'init.page.conversation.turns[1].status is invalid');
    const badModel = { ...init, models: { ...models, groups: [{ providerId: 'ollama', label: 'Ollama', models: [{ label: 'no id' }] }] } };
    assert.equal(rejection(badModel), 'init.models.groups[0].models[0].id is invalid');
    assert.equal(rejection({ ...init, context: [{ id: 'k1', kind: 'terminal', label: 'T', size: '' }] }), 'init.context[0].kind is invalid');
    assert.equal(rejection({ ...init, pluginUi: { actions: 'x', slashCommands: [] } }), 'init.pluginUi.actions is invalid');
  });

  it('reads the plugins\' actions and slash commands, in init and on their own, offering only names that can be typed', () => {
    const offered = {
      actions: pluginUi.actions,
      slashCommands: [
        ...pluginUi.slashCommands,
        { name: '/fix', description: '', source: 'p' },
        { name: 'two words', description: 'x', source: 'y' },
        { name: '', description: '', source: 'p' },
      ],
    };
    const expected = { actions: pluginUi.actions, slashCommands: [...pluginUi.slashCommands, { name: 'fix', description: '', source: 'p' }] };
    assert.deepEqual(accepted({ type: 'pluginUi', pluginUi: offered }), { type: 'pluginUi', pluginUi: expected });
    const withUi = accepted({ ...init, pluginUi: offered });
    assert.ok(withUi.type === 'init');
    assert.deepEqual(withUi.pluginUi, expected);
  });

  it('refuses a plugin UI message without its payload, or with an action it cannot show', () => {
    assert.equal(rejection({ type: 'pluginUi' }), 'pluginUi.pluginUi is invalid');
    assert.equal(rejection({ type: 'pluginUi', pluginUi: [] }), 'pluginUi.pluginUi is invalid');
    assert.equal(rejection({ type: 'pluginUi', pluginUi: { actions: [{ key: '', label: 'No key', plugin: 'p' }], slashCommands: [] } }), 'pluginUi.pluginUi.actions[0].key is invalid');
    assert.equal(rejection({ type: 'pluginUi', pluginUi: { actions: [], slashCommands: [{ description: 'nameless', source: 'p' }] } }), 'pluginUi.pluginUi.slashCommands[0].name is invalid');
  });
});

describe('turns', () => {
  const turnAdded = (turn: unknown) => ({ type: 'turnAdded', turn });

  it('keeps every field of an answer, a refusal and a token-limit problem with its Continue action included', () => {
    const full = {
      ...answer, status: 'incomplete', refusal: 'I cannot.',
      model: { providerId: 'ollama', modelId: 'llama3', label: 'llama3' },
      problem: { kind: 'token-limit', message: 'The answer was cut off by the token limit.', hint: 'Continue it.', actions: ['continue', 'openSettings'] },
      usage: { inputTokens: 3, outputTokens: 8 }, finishReason: 'length', finishedAt: 5,
      stats: { firstTokenMs: 420, tokensPerSecond: 38.5 },
      contextNote: '12 earlier messages were left out to fit the model\'s context window.',
    };
    assert.deepEqual(accepted(turnAdded(full)), turnAdded(full));
  });

  it('refuses an answer whose problem names an action or kind the chat does not have', () => {
    const problem = { kind: 'server', message: 'Boom', actions: ['retry', 'format-disk'] };
    assert.equal(rejection(turnAdded({ ...answer, problem })), 'turnAdded.turn.problem.actions[1] is invalid');
    assert.equal(rejection(turnAdded({ ...answer, problem: { ...problem, kind: 'meltdown', actions: [] } })), 'turnAdded.turn.problem.kind is invalid');
    assert.equal(rejection(turnAdded({ ...answer, stats: { firstTokenMs: 'fast' } })), 'turnAdded.turn.stats.firstTokenMs is invalid');
  });

  it('leaves out a model that is absent and refuses a malformed one', () => {
    const turn = accepted(turnAdded({ ...answer, status: 'failed' }));
    assert.ok(turn.type === 'turnAdded' && turn.turn.role === 'assistant');
    assert.equal(turn.turn.model, undefined);
    assert.equal(turn.turn.status, 'failed');
    assert.equal(rejection(turnAdded({ ...answer, model: { label: 'x' } })), 'turnAdded.turn.model.providerId is invalid');
  });

  it('reads every kind of attachment of a user turn, and refuses a malformed one', () => {
    const attachments = ['selection', 'file', 'problems', 'editors'].map((kind) => ({ kind, label: kind, text: 'x' }));
    assert.deepEqual(accepted(turnAdded({ ...userTurn, attachments })), turnAdded({ ...userTurn, attachments }));
    assert.equal(rejection(turnAdded({ ...userTurn, attachments: [{ kind: 'file' }] })), 'turnAdded.turn.attachments[0].label is invalid');
    assert.equal(rejection(turnAdded({ ...userTurn, attachments: [{ kind: 'weird', label: 'z', text: 'z' }] })), 'turnAdded.turn.attachments[0].kind is invalid');
  });

  it('keeps the expanded prompt of a user turn next to the text as typed', () => {
    const turn = { ...userTurn, text: '/explain x', prompt: 'Explain this code: x' };
    assert.deepEqual(accepted(turnAdded(turn)), turnAdded(turn));
    assert.equal(rejection(turnAdded({ ...userTurn, prompt: 7 })), 'turnAdded.turn.prompt is invalid');
  });

  it('refuses turns without an id or with an unknown role', () => {
    assert.equal(rejection(turnAdded({ ...userTurn, id: undefined })), 'turnAdded.turn.id is invalid');
    assert.equal(rejection(turnAdded({ ...userTurn, id: '' })), 'turnAdded.turn.id is invalid');
    assert.equal(rejection(turnAdded({ id: 'x', role: 'system' })), 'turnAdded.turn.role is invalid');
  });
});

describe('tool call messages', () => {
  const call = {
    id: 'c1', tool: 'getItem', qualifiedName: 'inventory.getItem', plugin: 'inventory', method: 'GET',
    url: 'http://127.0.0.1:9/items/1', arguments: '{\n  "itemId": 1\n}', status: 'awaiting-approval', canAlwaysAllow: true,
  };

  it('reads a tool call and keeps its known fields', () => {
    assert.deepEqual(accepted({ type: 'toolCall', turnId: 'a1', call }), { type: 'toolCall', turnId: 'a1', call });
    assert.deepEqual(accepted({ type: 'toolCall', turnId: 'a1', call: { id: 'c2', tool: 'now', arguments: '', status: 'done', note: 'ok', extra: 1 } }),
      { type: 'toolCall', turnId: 'a1', call: { id: 'c2', tool: 'now', arguments: '', status: 'done', note: 'ok' } });
  });

  it('refuses a tool call it cannot show, naming the field', () => {
    assert.equal(rejection({ type: 'toolCall', call }), 'toolCall.turnId is invalid');
    assert.equal(rejection({ type: 'toolCall', turnId: 'a1' }), 'toolCall.call is invalid');
    assert.equal(rejection({ type: 'toolCall', turnId: 'a1', call: { ...call, id: '' } }), 'toolCall.call.id is invalid');
    assert.equal(rejection({ type: 'toolCall', turnId: 'a1', call: { ...call, tool: undefined } }), 'toolCall.call.tool is invalid');
    assert.equal(rejection({ type: 'toolCall', turnId: 'a1', call: { ...call, status: 'exploded' } }), 'toolCall.call.status is invalid');
    assert.equal(rejection({ type: 'toolCall', turnId: 'a1', call: { ...call, canAlwaysAllow: 'yes' } }), 'toolCall.call.canAlwaysAllow is invalid');
  });

  it('reads which tools were offered', () => {
    const offered = { names: ['a', 'b'], total: 40, mode: 'native' };
    assert.deepEqual(accepted({ type: 'toolsOffered', turnId: 'a1', offered }), { type: 'toolsOffered', turnId: 'a1', offered });
    assert.equal(rejection({ type: 'toolsOffered', turnId: 'a1', offered: { ...offered, names: ['a', 3] } }), 'toolsOffered.offered.names[1] is invalid');
    assert.equal(rejection({ type: 'toolsOffered', turnId: 'a1' }), 'toolsOffered.offered is invalid');
    assert.equal(rejection({ type: 'toolsOffered', offered }), 'toolsOffered.turnId is invalid');
  });

  it('keeps the tool calls and offer of a saved answer, and refuses a malformed call', () => {
    const saved = { ...answer, toolCalls: [call], toolsOffered: { names: ['getItem'], total: 8, mode: 'native' } };
    assert.deepEqual(accepted({ type: 'turnUpdated', turn: saved }), { type: 'turnUpdated', turn: saved });
    assert.equal(rejection({ type: 'turnUpdated', turn: { ...saved, toolCalls: [call, { id: 'bad' }] } }), 'turnUpdated.turn.toolCalls[1].tool is invalid');
  });
});

describe('pages of a conversation', () => {
  it('reads a reset with its page', () => {
    const reset = { type: 'conversationReset', page: { conversation, earlier: 3 } };
    assert.deepEqual(accepted(reset), reset);
    assert.equal(rejection({ type: 'conversationReset', page: { conversation, earlier: -2 } }), 'conversationReset.page.earlier is invalid');
    assert.equal(rejection({ type: 'conversationReset', page: { conversation, earlier: 3.7 } }), 'conversationReset.page.earlier is invalid');
    assert.equal(rejection({ type: 'conversationReset', conversation }), 'conversationReset.page is invalid');
    assert.equal(rejection({ type: 'conversationReset', page: { earlier: 2 } }), 'conversationReset.page.conversation is invalid');
  });

  it('reads earlier turns, and refuses a malformed one', () => {
    const prepended = { type: 'turnsPrepended', conversationId: 'c1', turns: [userTurn], earlier: 5 };
    assert.deepEqual(accepted(prepended), prepended);
    assert.equal(rejection({ ...prepended, turns: [userTurn, { role: 'x' }] }), 'turnsPrepended.turns[1].role is invalid');
    assert.equal(rejection({ type: 'turnsPrepended', turns: [], earlier: 0 }), 'turnsPrepended.conversationId is invalid');
    assert.equal(rejection({ ...prepended, turns: 'x' }), 'turnsPrepended.turns is invalid');
  });

  it('reads removed turn ids', () => {
    assert.deepEqual(accepted({ type: 'turnsRemoved', turnIds: ['a', 'b'] }), { type: 'turnsRemoved', turnIds: ['a', 'b'] });
    assert.equal(rejection({ type: 'turnsRemoved', turnIds: ['a', 3] }), 'turnsRemoved.turnIds[1] is invalid');
    assert.equal(rejection({ type: 'turnsRemoved', turnIds: 'a' }), 'turnsRemoved.turnIds is invalid');
  });
});

describe('history, context and file messages', () => {
  it('reads the history list', () => {
    const history = { type: 'history', query: 'bug', currentId: 'c2', items: [{ id: 'c2', title: 'Fix the bug', createdAt: 10, updatedAt: 20, turnCount: 4, preview: 'Why does…' }] };
    assert.deepEqual(accepted(history), history);
    assert.equal(rejection({ ...history, items: [...history.items, { id: 'c3', createdAt: 5 }] }), 'history.items[1].title is invalid');
    assert.equal(rejection({ type: 'history', query: '', currentId: '' }), 'history.items is invalid');
  });

  it('reads context chips of every kind, and refuses one of a kind it does not know', () => {
    const chips = [
      { id: 'k1', kind: 'problems', label: 'Problems in app.ts', size: '3 problems' },
      { id: 'k2', kind: 'editors', label: 'Open editors', size: '2 files' },
    ];
    assert.deepEqual(accepted({ type: 'context', chips }), { type: 'context', chips });
    assert.deepEqual(accepted({ type: 'context', chips: [] }), { type: 'context', chips: [] });
    assert.equal(rejection({ type: 'context', chips: [{ id: 'k2', kind: 'terminal', label: 'Terminal', size: '' }] }), 'context.chips[0].kind is invalid');
    assert.equal(rejection({ type: 'context', chips: [{ id: '', kind: 'file', label: 'x', size: '' }] }), 'context.chips[0].id is invalid');
    assert.equal(rejection({ type: 'context' }), 'context.chips is invalid');
  });

  it('reads file suggestions', () => {
    const suggestions = { type: 'fileSuggestions', requestId: 'files-3', files: [{ path: 'src/app.ts', name: 'app.ts' }] };
    assert.deepEqual(accepted(suggestions), suggestions);
    assert.equal(rejection({ ...suggestions, files: [{ path: '', name: 'x' }] }), 'fileSuggestions.files[0].path is invalid');
    assert.equal(rejection({ type: 'fileSuggestions', files: [] }), 'fileSuggestions.requestId is invalid');
    assert.equal(rejection({ type: 'fileSuggestions', requestId: 'r', files: null }), 'fileSuggestions.files is invalid');
  });

  it('reads a request to edit a question', () => {
    assert.deepEqual(accepted({ type: 'editTurn', turnId: 'u1', text: 'Why?' }), { type: 'editTurn', turnId: 'u1', text: 'Why?' });
    assert.equal(rejection({ type: 'editTurn', turnId: 'u1' }), 'editTurn.text is invalid');
    assert.equal(rejection({ type: 'editTurn', turnId: '', text: 'x' }), 'editTurn.turnId is invalid');
  });
});
