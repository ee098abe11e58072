/**
 * The fake model server the extension-host suite talks to (through Patchbay, as a workspace
 * endpoint): the default answers, plus the suite's questions that need more (fakeServerQuestions.ts).
 * Both ways of running the suite use it: inside code-server (test/e2e/extensionHostSuite.e2e.ts)
 * and in desktop VS Code (test/integration/runDesktop.ts).
 */
import { FakeModelServer, type ScriptedResponse } from '../support/fakeModelServer';
import { InventoryApi } from '../support/inventoryApi';
import { stepsFor } from '../support/wireFormats';
import { CALL_A_TOOL, FAIL_WITH_AUTH } from './suite/fakeServerQuestions';

export async function startSuiteFakeServer(): Promise<FakeModelServer> {
  const fake = await FakeModelServer.start();
  fake.onChat = (request) => {
    const text = JSON.stringify(request.json);
    if (text.includes(FAIL_WITH_AUTH)) return { status: 401, headers: { 'content-type': 'application/json' }, steps: stepsFor(JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } })) };
    if (text.includes(CALL_A_TOOL)) return toolCallAnswer();
    return undefined;
  };
  return fake;
}

/** The workspace's config.yaml that points Patchbay at the fake server. */
export function suiteWorkspaceConfig(fake: FakeModelServer): string {
  return `providers:\n  - id: fake\n    label: Fake server\n    type: openai-compatible\n    baseUrl: ${fake.openAiBaseUrl}\n`;
}

/** The suite's workspace: the fake server as an endpoint, and an OpenAPI tool plugin for a local API. */
export async function suiteWorkspace(): Promise<{ fake: FakeModelServer; api: InventoryApi; files: Record<string, string> }> {
  const fake = await startSuiteFakeServer();
  const api = await InventoryApi.start();
  return {
    fake,
    api,
    files: {
      '.patchbay/config.yaml': suiteWorkspaceConfig(fake),
      '.patchbay/plugins/inventory/ai-plugin.json': JSON.stringify(InventoryApi.pluginManifest()),
      '.patchbay/plugins/inventory/openapi.yaml': api.spec(),
    },
  };
}

/** An OpenAI stream whose answer is a call of the `weather` tool, as a server sends one. */
function toolCallAnswer(): ScriptedResponse {
  const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'fake-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const body = [
    chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_w', type: 'function', function: { name: 'weather', arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
    chunk({}, 'tool_calls'),
    'data: [DONE]\n\n',
  ].join('');
  return { headers: { 'content-type': 'text/event-stream' }, steps: stepsFor(body) };
}
