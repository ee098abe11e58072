/**
 * The bundled workspace-tools plugin's `propose_edit` and `create_file` in the chat, in plain
 * Node: the fake model server calls the tool, the plugin proposes through
 * `context.services.workspace.proposeEdit` (here a stand-in for the editor's, on the core's
 * proposals), the call's card shows the proposal, and the user's decision reaches the card and
 * the saved conversation after the answer has ended. In an untrusted workspace neither is offered.
 */
import assert from 'node:assert/strict';
import type { ChatServices } from '../../../src/core/chatServices';
import type { AssistantTurn } from '../../../src/core/chat/conversation';
import { unavailableServices } from '../../../src/core/plugins/pluginContext';
import { proposedText } from '../../../src/core/workspace/edits/editProposals';
import { FakeModelServer, type ScriptedResponse } from '../../support/fakeModelServer';
import { fakeEndpoint, testBackend, type TestBackend } from '../../support/testBackend';
import { stepsFor } from '../../support/wireFormats';

function sse(deltas: object[], finishReason = 'tool_calls'): ScriptedResponse {
  const events = deltas.map((delta) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
  events.push(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }] })}\n\n`, 'data: [DONE]\n\n');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(events.join('')) };
}

const toolCall = (name: string, args: object) => sse([{ role: 'assistant', tool_calls: [{ index: 0, id: 'call-1', type: 'function', function: { name, arguments: JSON.stringify(args) } }] }]);

describe('proposed edits in the chat (workspace-tools)', function () {
  this.timeout(20_000);
  let models: FakeModelServer;
  let test: TestBackend;
  let chat: ChatServices;
  let trusted: boolean;
  const file = { path: 'greet.js', text: 'const greeting = "Hello";\n' };

  beforeEach(async () => {
    models = await FakeModelServer.start();
    trusted = true;
    test = testBackend({
      endpointLayers: () => fakeEndpoint(models.openAiBaseUrl, 'openai-compatible'),
      loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
      toolCalling: () => ({ approval: { default: 'allow', allow: [], deny: [], ask: [] } }),
      workspaceTrusted: () => trusted,
      // The editor's port, minus the editor: the file's text is `file.text`.
      services: (pluginId) => ({
        ...unavailableServices,
        workspace: {
          ...unavailableServices.workspace,
          proposeEdit: async (change) => {
            const proposal = chat.proposals.add({ owner: pluginId, change: 'create' in change ? 'create' : 'edit', absolutePath: `/w/${change.path}`, shownPath: change.path, baseText: change.path === file.path ? file.text : undefined, proposedText: proposedText(change.path === file.path ? file.text : undefined, change) });
            return { id: proposal.id, path: proposal.shownPath, summary: proposal.summary };
          },
        },
      }),
    });
    chat = test.backend;
    await chat.models.refresh();
  });

  afterEach(async () => {
    await chat.dispose();
    await models.close();
  });

  const answer = () => chat.conversations.conversation.turns.at(-1) as AssistantTurn;
  const toolResultSent = () => {
    const last = models.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.json as { messages: { role: string; content: string }[] };
    return last.messages.find((message) => message.role === 'tool')?.content ?? '';
  };

  it('shows the proposal on the call\'s card, answers the model at once, and records the decision made after the answer', async () => {
    const responses = [toolCall('propose_edit', { path: file.path, edits: [{ search: '"Hello"', replace: '"Hi"' }] }), sse([{ role: 'assistant', content: 'Proposed.' }], 'stop')];
    models.onChat = () => responses.shift();
    await chat.conversations.send('Say hi instead');

    const call = answer().toolCalls?.[0];
    assert.equal(call?.status, 'done');
    assert.deepEqual(call?.proposal, { id: call?.proposal?.id, path: 'greet.js', change: 'edit', summary: '+1 −1 lines', state: 'pending' });
    assert.match(toolResultSent(), /Proposed the change to greet\.js \(\+1 −1 lines\) to the user for review/);

    const saves = test.saved.length;
    chat.proposals.settle(call?.proposal?.id ?? '', 'accepted');
    assert.equal(answer().toolCalls?.[0]?.proposal?.state, 'accepted');
    assert.equal(test.saved.at(-1)?.turns.at(-1)?.role === 'assistant' && (test.saved.at(-1)?.turns.at(-1) as AssistantTurn).toolCalls?.[0]?.proposal?.state, 'accepted');
    assert.ok(test.saved.length > saves, 'the decision is saved with the conversation');
    assert.ok(test.events.some((event) => event.type === 'toolCall' && event.call.proposal?.state === 'accepted'), 'the card is told');
  });

  it('gives the model the reason when a search text is not in the file', async () => {
    const responses = [toolCall('propose_edit', { path: file.path, edits: [{ search: 'Goodbye', replace: 'x' }] }), sse([{ role: 'assistant', content: 'Sorry.' }], 'stop')];
    models.onChat = () => responses.shift();
    await chat.conversations.send('Change it');
    assert.equal(answer().toolCalls?.[0]?.status, 'failed');
    assert.equal(answer().toolCalls?.[0]?.proposal, undefined);
    assert.match(toolResultSent(), /the search text was not found in the file/);
  });

  it('does not offer propose_edit or create_file in an untrusted workspace', async () => {
    trusted = false;
    models.onChat = () => sse([{ role: 'assistant', content: 'Hello.' }], 'stop');
    await chat.conversations.send('Hi');
    const offered = (models.requests.find((request) => request.path.endsWith('/chat/completions'))?.json as { tools?: { function: { name: string } }[] }).tools ?? [];
    assert.deepEqual(offered.map((tool) => tool.function.name).filter((name) => name === 'propose_edit' || name === 'create_file'), []);
    trusted = true;
    await chat.conversations.send('Hi again');
    const nowOffered = (models.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.json as { tools?: { function: { name: string } }[] }).tools ?? [];
    assert.ok(nowOffered.some((tool) => tool.function.name === 'propose_edit'), 'offered once the workspace is trusted');
  });
});
