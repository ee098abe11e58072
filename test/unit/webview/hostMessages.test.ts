import assert from 'node:assert/strict';
import { normalizeTurn, parseHostMessage } from '../../../src/webview/hostMessages';

describe('parseHostMessage', () => {
  it('ignores what is not a known message', () => {
    for (const raw of [null, undefined, 42, 'init', [], {}, { type: 'explode' }, { type: 'turnDelta' }, { type: 'busy', busy: 'yes' }]) {
      assert.equal(parseHostMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('accepts streamed text with either part', () => {
    assert.deepEqual(parseHostMessage({ type: 'turnDelta', turnId: 't1', content: 'Hi' }), { type: 'turnDelta', turnId: 't1', content: 'Hi' });
    assert.deepEqual(parseHostMessage({ type: 'turnDelta', turnId: 't1', reasoning: 'Hm', content: 5 }), { type: 'turnDelta', turnId: 't1', reasoning: 'Hm' });
  });

  it('reads a status message with or without text', () => {
    assert.deepEqual(parseHostMessage({ type: 'status', text: 'Rate limited; retrying in 4 s' }), { type: 'status', text: 'Rate limited; retrying in 4 s' });
    assert.deepEqual(parseHostMessage({ type: 'status' }), { type: 'status' });
  });

  it('brings the panel up from an init that lacks parts, and fills in what is missing', () => {
    assert.deepEqual(parseHostMessage({ type: 'init', busy: 'no' }), {
      type: 'init',
      busy: false,
      page: { conversation: { id: '', title: '', turns: [], createdAt: 0, updatedAt: 0 }, earlier: 0 },
      models: { groups: [], loading: false },
      extensions: { actions: [], slashCommands: [] },
      context: [],
    });
    const message = parseHostMessage({
      type: 'init',
      busy: true,
      page: { conversation: { id: 'c', turns: [{ id: 'u1', role: 'user', text: 'Hi' }, { role: 'user' }, 'junk'] }, earlier: 40 },
      models: { groups: [{ providerId: 'ollama', models: [{ id: 'm1' }, { label: 'no id' }] }, { label: 'no provider' }] },
      context: [{ id: 'k1', kind: 'selection', label: 'src/app.ts:10-24', size: '15 lines · ~120 tokens' }, { kind: 'file' }],
    });
    assert.deepEqual(message, {
      type: 'init',
      busy: true,
      page: {
        conversation: {
          id: 'c', title: '', createdAt: 0, updatedAt: 0,
          turns: [{ id: 'u1', role: 'user', text: 'Hi', attachments: [], createdAt: 0 }],
        },
        earlier: 40,
      },
      models: { loading: false, groups: [{ providerId: 'ollama', label: 'ollama', models: [{ id: 'm1', label: 'm1' }] }] },
      extensions: { actions: [], slashCommands: [] },
      context: [{ id: 'k1', kind: 'selection', label: 'src/app.ts:10-24', size: '15 lines · ~120 tokens' }],
    });
  });

  it('reads the plugins\' actions and slash commands, in init and on their own', () => {
    const extensions = {
      actions: [
        { key: 'a1', label: 'Explain', plugin: 'explainer' },
        { key: 'a2', label: 'No plugin' },
        { key: '', label: 'No key', plugin: 'p' },
        { key: 'a3', plugin: 'p' },
        'junk',
      ],
      slashCommands: [
        { name: 'explain', description: 'Explain the code', source: 'templates' },
        { name: '/fix' },
        { name: 'two words', description: 'x', source: 'y' },
        { name: '' },
        { description: 'nameless' },
      ],
    };
    const expected = {
      actions: [{ key: 'a1', label: 'Explain', plugin: 'explainer' }, { key: 'a2', label: 'No plugin', plugin: '' }],
      slashCommands: [
        { name: 'explain', description: 'Explain the code', source: 'templates' },
        { name: 'fix', description: '', source: '' },
      ],
    };
    assert.deepEqual(parseHostMessage({ type: 'extensions', extensions }), { type: 'extensions', extensions: expected });
    const init = parseHostMessage({ type: 'init', extensions });
    assert.ok(init?.type === 'init');
    assert.deepEqual(init.extensions, expected);
    assert.deepEqual(parseHostMessage({ type: 'extensions', extensions: { actions: 'x' } }),
      { type: 'extensions', extensions: { actions: [], slashCommands: [] } });
  });

  it('ignores an extensions message without its payload', () => {
    assert.equal(parseHostMessage({ type: 'extensions' }), undefined);
    assert.equal(parseHostMessage({ type: 'extensions', extensions: [] }), undefined);
  });
});

describe('normalizeTurn', () => {
  it('gives an assistant turn safe defaults and keeps known fields', () => {
    assert.deepEqual(normalizeTurn({
      id: 'a1', role: 'assistant', status: 'bogus', content: 'Hello',
      model: { providerId: 'ollama', modelId: 'llama3' },
      problem: { kind: 'server', message: 'Boom', hint: 'Try again', actions: ['retry', 'format-disk', 'showLogs'] },
      usage: { inputTokens: 3, outputTokens: 'many' },
    }), {
      id: 'a1', role: 'assistant', content: 'Hello', reasoning: '', status: 'complete', createdAt: 0,
      model: { providerId: 'ollama', modelId: 'llama3', label: 'llama3' },
      problem: { kind: 'server', message: 'Boom', hint: 'Try again', actions: ['retry', 'showLogs'] },
      usage: { inputTokens: 3 },
    });
  });

  it('leaves out a model that is absent or malformed', () => {
    const turn = normalizeTurn({ id: 'a2', role: 'assistant', status: 'failed', model: { label: 'x' } });
    assert.ok(turn?.role === 'assistant');
    assert.equal(turn.model, undefined);
    assert.equal(turn.status, 'failed');
  });

  it('keeps only well-formed attachments of a user turn', () => {
    const turn = normalizeTurn({ id: 'u', role: 'user', text: 'Q', attachments: [{ kind: 'file', label: 'src/a.ts', text: 'x' }, { kind: 'file' }] });
    assert.deepEqual(turn, { id: 'u', role: 'user', text: 'Q', createdAt: 0, attachments: [{ kind: 'file', label: 'src/a.ts', text: 'x' }] });
  });

  it('keeps the expanded prompt of a user turn next to the text as typed', () => {
    const turn = normalizeTurn({ id: 'u', role: 'user', text: '/explain x', prompt: 'Explain this code: x' });
    assert.deepEqual(turn, { id: 'u', role: 'user', text: '/explain x', prompt: 'Explain this code: x', createdAt: 0, attachments: [] });
    assert.equal((normalizeTurn({ id: 'u', role: 'user', text: 'Q', prompt: 7 }) as { prompt?: unknown }).prompt, undefined);
  });

  it('keeps a refusal and a token-limit problem with its Continue action', () => {
    const turn = normalizeTurn({
      id: 'a3', role: 'assistant', status: 'incomplete', content: 'Half', reasoning: '', refusal: 'I cannot.',
      problem: { kind: 'token-limit', message: 'The answer was cut off by the token limit.', actions: ['continue', 'openSettings'] },
    });
    assert.ok(turn?.role === 'assistant');
    assert.equal(turn.refusal, 'I cannot.');
    assert.deepEqual(turn.problem?.actions, ['continue', 'openSettings']);
  });

  it('rejects turns without an id or with an unknown role', () => {
    assert.equal(normalizeTurn({ role: 'user', text: 'x' }), undefined);
    assert.equal(normalizeTurn({ id: 'x', role: 'system' }), undefined);
  });
});

describe('tool call messages', () => {
  const call = {
    id: 'c1', tool: 'getItem', qualifiedName: 'inventory.getItem', plugin: 'inventory', method: 'GET',
    url: 'http://127.0.0.1:9/items/1', arguments: '{\n  "itemId": 1\n}', status: 'awaiting-approval', canAlwaysAllow: true,
  };

  it('reads a tool call and keeps its known fields', () => {
    assert.deepEqual(parseHostMessage({ type: 'toolCall', turnId: 'a1', call }), { type: 'toolCall', turnId: 'a1', call });
    assert.deepEqual(parseHostMessage({ type: 'toolCall', turnId: 'a1', call: { id: 'c2', tool: 'now', status: 'done', result: 7, note: 'ok', canAlwaysAllow: 'yes', extra: 1 } }),
      { type: 'toolCall', turnId: 'a1', call: { id: 'c2', tool: 'now', arguments: '', status: 'done', note: 'ok' } });
  });

  it('ignores a tool call it cannot show', () => {
    for (const raw of [
      { type: 'toolCall', call },
      { type: 'toolCall', turnId: 'a1' },
      { type: 'toolCall', turnId: 'a1', call: { ...call, id: '' } },
      { type: 'toolCall', turnId: 'a1', call: { ...call, tool: undefined } },
      { type: 'toolCall', turnId: 'a1', call: { ...call, status: 'exploded' } },
    ]) {
      assert.equal(parseHostMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('reads which tools were offered, with safe defaults', () => {
    assert.deepEqual(parseHostMessage({ type: 'toolsOffered', turnId: 'a1', offered: { names: ['a', 'b'], total: 40, mode: 'native' } }),
      { type: 'toolsOffered', turnId: 'a1', offered: { names: ['a', 'b'], total: 40, mode: 'native' } });
    assert.deepEqual(parseHostMessage({ type: 'toolsOffered', turnId: 'a1', offered: { names: ['a', 3], mode: 'prompt' } }),
      { type: 'toolsOffered', turnId: 'a1', offered: { names: ['a'], total: 1, mode: 'prompt' } });
    assert.equal(parseHostMessage({ type: 'toolsOffered', turnId: 'a1' }), undefined);
    assert.equal(parseHostMessage({ type: 'toolsOffered', offered: { names: [] } }), undefined);
  });

  it('keeps the tool calls and offer of a saved answer, dropping malformed calls', () => {
    const turn = normalizeTurn({
      id: 'a1', role: 'assistant', status: 'complete', content: 'x',
      toolCalls: [call, { id: 'bad' }, 'junk'],
      toolsOffered: { names: ['getItem'], total: 8, mode: 'native' },
    });
    assert.ok(turn?.role === 'assistant');
    assert.deepEqual(turn.toolCalls, [call]);
    assert.deepEqual(turn.toolsOffered, { names: ['getItem'], total: 8, mode: 'native' });
    const plain = normalizeTurn({ id: 'a2', role: 'assistant', status: 'complete' });
    assert.ok(plain?.role === 'assistant');
    assert.equal(plain.toolCalls, undefined);
    assert.equal(plain.toolsOffered, undefined);
  });
});

describe('pages of a conversation', () => {
  const conversation = { id: 'c1', title: 'T', turns: [{ id: 'u1', role: 'user', text: 'Q' }], createdAt: 1, updatedAt: 2 };
  const shown = { id: 'c1', title: 'T', turns: [{ id: 'u1', role: 'user', text: 'Q', attachments: [], createdAt: 0 }], createdAt: 1, updatedAt: 2 };

  it('reads a reset with its page, and a whole conversation from an older host as a page with nothing earlier', () => {
    assert.deepEqual(parseHostMessage({ type: 'conversationReset', page: { conversation, earlier: 3.7 } }),
      { type: 'conversationReset', page: { conversation: shown, earlier: 3 } });
    assert.deepEqual(parseHostMessage({ type: 'conversationReset', page: { conversation, earlier: -2 } }),
      { type: 'conversationReset', page: { conversation: shown, earlier: 0 } });
    assert.deepEqual(parseHostMessage({ type: 'conversationReset', conversation }),
      { type: 'conversationReset', page: { conversation: shown, earlier: 0 } });
    assert.equal(parseHostMessage({ type: 'conversationReset' }), undefined);
    assert.equal(parseHostMessage({ type: 'conversationReset', page: { earlier: 2 } }), undefined);
  });

  it('reads earlier turns, dropping malformed ones', () => {
    assert.deepEqual(parseHostMessage({ type: 'turnsPrepended', conversationId: 'c1', turns: [{ id: 'u0', role: 'user', text: 'Earlier' }, { role: 'x' }], earlier: 5 }), {
      type: 'turnsPrepended', conversationId: 'c1', earlier: 5,
      turns: [{ id: 'u0', role: 'user', text: 'Earlier', attachments: [], createdAt: 0 }],
    });
    assert.deepEqual(parseHostMessage({ type: 'turnsPrepended', conversationId: 'c1', turns: [] }),
      { type: 'turnsPrepended', conversationId: 'c1', turns: [], earlier: 0 });
    assert.equal(parseHostMessage({ type: 'turnsPrepended', turns: [] }), undefined);
    assert.equal(parseHostMessage({ type: 'turnsPrepended', conversationId: 'c1', turns: 'x' }), undefined);
  });

  it('reads removed turn ids', () => {
    assert.deepEqual(parseHostMessage({ type: 'turnsRemoved', turnIds: ['a', 3, '', 'b'] }), { type: 'turnsRemoved', turnIds: ['a', 'b'] });
    assert.equal(parseHostMessage({ type: 'turnsRemoved', turnIds: 'a' }), undefined);
  });
});

describe('history, context and file messages', () => {
  it('reads the history list with safe defaults', () => {
    assert.deepEqual(parseHostMessage({
      type: 'history',
      query: 'bug',
      currentId: 'c2',
      items: [
        { id: 'c2', title: 'Fix the bug', createdAt: 10, updatedAt: 20, turnCount: 4, preview: 'Why does…' },
        { id: 'c3', createdAt: 5 },
        { title: 'no id' },
        'junk',
      ],
    }), {
      type: 'history',
      query: 'bug',
      currentId: 'c2',
      items: [
        { id: 'c2', title: 'Fix the bug', createdAt: 10, updatedAt: 20, turnCount: 4, preview: 'Why does…' },
        { id: 'c3', title: '', createdAt: 5, updatedAt: 5, turnCount: 0, preview: '' },
      ],
    });
    assert.deepEqual(parseHostMessage({ type: 'history', items: [] }), { type: 'history', items: [], query: '', currentId: '' });
    assert.equal(parseHostMessage({ type: 'history' }), undefined);
  });

  it('reads context chips, keeping one of an unknown kind visible', () => {
    assert.deepEqual(parseHostMessage({
      type: 'context',
      chips: [
        { id: 'k1', kind: 'problems', label: 'Problems in app.ts', size: '3 problems' },
        { id: 'k2', kind: 'terminal', label: 'Terminal' },
        { id: '', kind: 'file', label: 'x' },
        { id: 'k3', kind: 'file' },
      ],
    }), {
      type: 'context',
      chips: [
        { id: 'k1', kind: 'problems', label: 'Problems in app.ts', size: '3 problems' },
        { id: 'k2', kind: 'file', label: 'Terminal', size: '' },
      ],
    });
    assert.deepEqual(parseHostMessage({ type: 'context', chips: [] }), { type: 'context', chips: [] });
    assert.equal(parseHostMessage({ type: 'context' }), undefined);
  });

  it('reads file suggestions, naming a file by its path when the name is missing', () => {
    assert.deepEqual(parseHostMessage({
      type: 'fileSuggestions',
      requestId: 'files-3',
      files: [{ path: 'src/app.ts', name: 'app.ts' }, { path: 'src/util/dates.ts' }, { name: 'no path' }, { path: '' }],
    }), {
      type: 'fileSuggestions',
      requestId: 'files-3',
      files: [{ path: 'src/app.ts', name: 'app.ts' }, { path: 'src/util/dates.ts', name: 'dates.ts' }],
    });
    assert.equal(parseHostMessage({ type: 'fileSuggestions', files: [] }), undefined);
    assert.equal(parseHostMessage({ type: 'fileSuggestions', requestId: 'r', files: null }), undefined);
  });

  it('reads a request to edit a question', () => {
    assert.deepEqual(parseHostMessage({ type: 'editTurn', turnId: 'u1', text: 'Why?' }), { type: 'editTurn', turnId: 'u1', text: 'Why?' });
    assert.equal(parseHostMessage({ type: 'editTurn', turnId: 'u1' }), undefined);
    assert.equal(parseHostMessage({ type: 'editTurn', turnId: '', text: 'x' }), undefined);
  });
});

describe('answer stats and context notes', () => {
  it('keeps the measured speed and the note of what was left out', () => {
    const turn = normalizeTurn({
      id: 'a1', role: 'assistant', status: 'complete', content: 'x',
      stats: { firstTokenMs: 420, tokensPerSecond: 38.5 },
      contextNote: '12 earlier messages were left out to fit the model\'s context window.',
    });
    assert.ok(turn?.role === 'assistant');
    assert.deepEqual(turn.stats, { firstTokenMs: 420, tokensPerSecond: 38.5 });
    assert.equal(turn.contextNote, '12 earlier messages were left out to fit the model\'s context window.');
  });

  it('drops malformed stats and blank notes', () => {
    const turn = normalizeTurn({ id: 'a1', role: 'assistant', stats: { firstTokenMs: 'fast', tokensPerSecond: -1 }, contextNote: '  ' });
    assert.ok(turn?.role === 'assistant');
    assert.equal(turn.stats, undefined);
    assert.equal(turn.contextNote, undefined);
    const partial = normalizeTurn({ id: 'a2', role: 'assistant', stats: { tokensPerSecond: 12 } });
    assert.ok(partial?.role === 'assistant');
    assert.deepEqual(partial.stats, { tokensPerSecond: 12 });
  });

  it('keeps every kind of attachment', () => {
    const turn = normalizeTurn({ id: 'u', role: 'user', text: 'Q', attachments: [
      { kind: 'problems', label: 'Problems in app.ts', text: 'x' },
      { kind: 'editors', label: 'Open editors', text: 'y' },
      { kind: 'weird', label: 'z', text: 'z' },
    ] });
    assert.ok(turn?.role === 'user');
    assert.deepEqual(turn.attachments.map((a) => a.kind), ['problems', 'editors', 'selection']);
  });
});
