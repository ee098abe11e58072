import assert from 'node:assert/strict';
import type { Problem } from '../../../src/protocol/messages';
import { pluginActionsFor, pluginActionTitle, reasoningSummary, turnButtons, turnStatusText, usageText } from '../../../src/webview/view/turnText';

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

  it('offers Retry on the last answer even without a problem', () => {
    assert.deepEqual(turnButtons({ status: 'complete' }, true), [{ label: 'Retry', message: { type: 'retry' } }]);
    assert.deepEqual(turnButtons({ status: 'complete' }, false), []);
  });

  it('shows Retry once when the problem lists it too, and not at all on older answers', () => {
    const listed = { status: 'failed' as const, problem: problem(['refreshModels', 'retry', 'retry']) };
    assert.deepEqual(turnButtons(listed, true).map((b) => b.label), ['Refresh Models', 'Retry']);
    assert.deepEqual(turnButtons(listed, false).map((b) => b.label), ['Refresh Models']);
  });

  it('offers nothing while the answer streams', () => {
    assert.deepEqual(turnButtons({ status: 'streaming', problem: problem(['retry']) }, true), []);
  });

  it('labels every recovery action', () => {
    const labels = turnButtons({ status: 'failed', problem: problem(['retry', 'setApiKey', 'selectModel', 'refreshModels', 'openConfig', 'openSettings', 'showLogs']) }, true)
      .map((b) => b.label);
    assert.deepEqual(labels, ['Retry', 'Set API Key', 'Select Model', 'Refresh Models', 'Open Config', 'Open Settings', 'Show Logs']);
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

  it('names the reasoning section by whether it is still going', () => {
    assert.equal(reasoningSummary('streaming'), 'Thinking');
    assert.equal(reasoningSummary('complete'), 'Thought process');
    assert.equal(reasoningSummary('stopped'), 'Thought process');
  });
});
