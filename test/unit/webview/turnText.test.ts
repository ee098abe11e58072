import assert from 'node:assert/strict';
import type { Problem } from '../../../src/protocol/messages';
import {
  answerMessageButtons, firstTokenText, pluginActionsFor, pluginActionTitle, reasoningSummary, tokensPerSecondText, turnButtons,
  turnStatusText, usageText,
} from '../../../src/webview/view/turnText';

const problem = (actions: Problem['actions'], hint?: string): Problem =>
  hint === undefined ? { kind: 'connection', message: 'Cannot reach Ollama.', actions } : { kind: 'connection', message: 'Cannot reach Ollama.', hint, actions };

describe('turn status text', () => {
  it('says nothing while streaming or after a clean answer', () => {
    assert.equal(turnStatusText({ status: 'streaming' }), undefined);
    assert.equal(turnStatusText({ status: 'complete' }), undefined);
  });

  it('describes stopped, incomplete and failed answers', () => {
    assert.deepEqual(turnStatusText({ status: 'stopped' }), { kind: 'stopped', text: 'Stopped' });
    assert.deepEqual(turnStatusText({ status: 'incomplete', problem: problem([]) }),
      { kind: 'incomplete', text: 'Incomplete: Cannot reach Ollama.' });
    assert.deepEqual(turnStatusText({ status: 'failed', problem: problem([], 'Start it with `ollama serve`.') }),
      { kind: 'failed', text: 'Cannot reach Ollama.', hint: 'Start it with `ollama serve`.' });
    assert.deepEqual(turnStatusText({ status: 'failed' }), { kind: 'failed', text: 'The request failed.' });
  });
});

describe('turn buttons', () => {
  it('offers one button per recovery action, each with its label and message', () => {
    const buttons = turnButtons({ status: 'failed', problem: problem(['setApiKey', 'openSettings', 'showLogs']) }, false);
    assert.deepEqual(buttons, [
      { label: 'Set API Key', message: { type: 'recover', action: 'setApiKey' } },
      { label: 'Open Settings', message: { type: 'recover', action: 'openSettings' } },
      { label: 'Show Logs', message: { type: 'recover', action: 'showLogs' } },
    ]);
  });

  it('offers Retry and Retry with Another Model on the last answer even without a problem', () => {
    assert.deepEqual(turnButtons({ status: 'complete' }, true), [
      { label: 'Retry', message: { type: 'retry' } },
      { label: 'Retry with Another Model', message: { type: 'retryWithModel' } },
    ]);
    assert.deepEqual(turnButtons({ status: 'complete' }, false), []);
  });

  it('shows Retry once when the problem lists it too, and not at all on older answers', () => {
    const listed = { status: 'failed' as const, problem: problem(['refreshModels', 'retry', 'retry']) };
    assert.deepEqual(turnButtons(listed, true).map((b) => b.label), ['Refresh Models', 'Retry', 'Retry with Another Model']);
    assert.deepEqual(turnButtons(listed, false).map((b) => b.label), ['Refresh Models']);
  });

  it('offers nothing while the answer streams', () => {
    assert.deepEqual(turnButtons({ status: 'streaming', problem: problem(['retry']) }, true), []);
  });

  it('labels every recovery action', () => {
    const labels = turnButtons({ status: 'failed', problem: problem(['retry', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs']) }, true)
      .map((b) => b.label);
    assert.deepEqual(labels, ['Retry', 'Retry with Another Model', 'Set API Key', 'Select Model', 'Refresh Models', 'Open Config', 'Open Settings', 'Show Logs']);
  });
});

describe('Copy and Delete on an answer', () => {
  it('are offered once the answer is no longer streaming, whatever its outcome', () => {
    for (const status of ['complete', 'incomplete', 'stopped', 'failed'] as const) {
      assert.deepEqual(answerMessageButtons({ id: 'a1', status }), [
        { label: 'Copy', message: { type: 'copyMessage', turnId: 'a1' } },
        { label: 'Delete', message: { type: 'deleteTurn', turnId: 'a1' } },
      ], status);
    }
  });

  it('are not offered while it streams', () => {
    assert.deepEqual(answerMessageButtons({ id: 'a1', status: 'streaming' }), []);
  });
});

describe('plugin actions', () => {
  const actions = [{ key: 'k1', label: 'Explain', plugin: 'explainer' }, { key: 'k2', label: 'Save as Note', plugin: 'notes' }];

  it('offers every action on an answer that is there to act on', () => {
    for (const status of ['complete', 'incomplete', 'stopped'] as const) {
      assert.deepEqual(pluginActionsFor({ status }, actions), actions, status);
    }
  });

  it('offers none while streaming or after a failure', () => {
    assert.deepEqual(pluginActionsFor({ status: 'streaming' }, actions), []);
    assert.deepEqual(pluginActionsFor({ status: 'failed' }, actions), []);
  });

  it('names the plugin in the tooltip', () => {
    assert.equal(pluginActionTitle({ label: 'Explain', plugin: 'explainer' }), 'Explain (plugin explainer)');
  });
});

describe('usage and reasoning text', () => {
  it('shows token counts after a complete answer only', () => {
    assert.equal(usageText({ status: 'complete', usage: { inputTokens: 12, outputTokens: 340 } }), '12 in · 340 out');
    assert.equal(usageText({ status: 'complete', usage: { outputTokens: 12345 } }), '12,345 out');
    assert.equal(usageText({ status: 'complete', usage: {} }), undefined);
    assert.equal(usageText({ status: 'stopped', usage: { inputTokens: 1, outputTokens: 2 } }), undefined);
    assert.equal(usageText({ status: 'complete' }), undefined);
  });

  it('adds the measured speed and time to the first token', () => {
    assert.equal(usageText({ status: 'complete', usage: { inputTokens: 12, outputTokens: 340 }, stats: { tokensPerSecond: 42.3, firstTokenMs: 412 } }),
      '12 in · 340 out · 42 tok/s · first token 0.4 s');
    // Speed alone (a server that reports no token counts) still makes a line.
    assert.equal(usageText({ status: 'complete', stats: { tokensPerSecond: 7.46 } }), '7.5 tok/s');
    assert.equal(usageText({ status: 'complete', usage: {}, stats: { firstTokenMs: 1500 } }), 'first token 1.5 s');
    assert.equal(usageText({ status: 'complete', stats: {} }), undefined);
    assert.equal(usageText({ status: 'incomplete', stats: { tokensPerSecond: 40 } }), undefined);
  });

  it('formats tokens per second with one decimal below 10', () => {
    assert.equal(tokensPerSecondText(42), '42 tok/s');
    assert.equal(tokensPerSecondText(42.6), '43 tok/s');
    assert.equal(tokensPerSecondText(9.94), '9.9 tok/s');
    assert.equal(tokensPerSecondText(9.96), '10 tok/s');
    assert.equal(tokensPerSecondText(0.25), '0.3 tok/s');
    assert.equal(tokensPerSecondText(1234.4), '1,234 tok/s');
    for (const rate of [undefined, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(tokensPerSecondText(rate), undefined, String(rate));
  });

  it('formats the time to the first token in seconds', () => {
    assert.equal(firstTokenText(400), 'first token 0.4 s');
    assert.equal(firstTokenText(1234), 'first token 1.2 s');
    assert.equal(firstTokenText(9940), 'first token 9.9 s');
    assert.equal(firstTokenText(12_600), 'first token 13 s');
    assert.equal(firstTokenText(30), 'first token < 0.1 s');
    assert.equal(firstTokenText(0), 'first token < 0.1 s');
    assert.equal(firstTokenText(-1), undefined);
    assert.equal(firstTokenText(undefined), undefined);
  });

  it('names the reasoning section by whether it is still going', () => {
    assert.equal(reasoningSummary('streaming'), 'Thinking');
    assert.equal(reasoningSummary('complete'), 'Thought process');
    assert.equal(reasoningSummary('stopped'), 'Thought process');
  });
});
