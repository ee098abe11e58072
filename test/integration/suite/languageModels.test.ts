import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeAnswerFor } from '../../support/fakeModelServer';
import { CALL_A_TOOL, FAIL_WITH_AUTH } from './fakeServerQuestions';


async function patchbayModel(id: string): Promise<vscode.LanguageModelChat> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const models = await vscode.lm.selectChatModels({ vendor: 'patchbay' });
    const found = models.find((model) => model.id.endsWith(`/${id}`));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no patchbay model ${id}; listed: ${models.map((model) => model.id).join(', ') || 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Whether this VS Code passes a caller's cancellation on to the provider (1.127 and later). */
export function cancellationReachesProviders(): boolean {
  const [major = 0, minor = 0] = vscode.version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 127);
}

describe("Patchbay's models through vscode.lm", () => {
  it("lists the workspace's server's models under the vendor patchbay, with their limits", async () => {
    const model = await patchbayModel('fake-model');
    assert.equal(model.vendor, 'patchbay');
    assert.equal(model.name, 'fake-model');
    assert.ok(model.maxInputTokens > 0, `maxInputTokens ${model.maxInputTokens}`);
  });

  it('answers a request through Patchbay, streaming the text', async () => {
    const model = await patchbayModel('fake-model');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hello from vscode.lm')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const piece of response.text) text += piece;
    assert.equal(text, fakeAnswerFor('hello from vscode.lm'));
  });

  // Before VS Code 1.127 a caller's cancellation never reaches the provider once the request has
  // started (microsoft/vscode#277872, fixed by #319098): nothing a provider can do about it.
  (cancellationReachesProviders() ? it : it.skip)('stops streaming when the caller cancels (VS Code 1.127 and later)', async () => {
    const model = await patchbayModel('fake-slow');
    const cancel = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('count for me')], {}, cancel.token);
    let pieces = 0;
    let cancelledAt: number | undefined;
    const read = (async () => {
      try {
        for await (const piece of response.text) {
          if (piece !== '') pieces++;
          if (pieces === 2 && cancelledAt === undefined) {
            cancelledAt = Date.now();
            cancel.cancel();
          }
        }
        return 'ended';
      } catch (error) {
        return error instanceof vscode.CancellationError || /cancel/i.test(String(error)) ? 'ended' : `failed: ${String(error)}`;
      }
    })();
    const outcome = await Promise.race([read, new Promise<string>((resolve) => setTimeout(() => resolve('still streaming'), 15_000))]);
    assert.equal(outcome, 'ended', `${pieces} pieces; cancelled ${cancelledAt === undefined ? 'never' : `${Date.now() - cancelledAt} ms ago`}`);
  });

  it("returns the model's tool call as a LanguageModelToolCallPart", async () => {
    const model = await patchbayModel('fake-model');
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'weather', description: 'The weather in a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(CALL_A_TOOL)], { tools }, new vscode.CancellationTokenSource().token);
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    assert.deepEqual(calls.map((call) => [call.name, call.input]), [['weather', { city: 'Oslo' }]]);
  });

  it("maps the server's refusal of the key to a LanguageModelError", async () => {
    const model = await patchbayModel('fake-model');
    await assert.rejects(
      (async () => {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(FAIL_WITH_AUTH)], {}, new vscode.CancellationTokenSource().token);
        for await (const piece of response.text) void piece;
      })(),
      (error: unknown) => error instanceof vscode.LanguageModelError && /key|401|auth/i.test(error.message),
    );
  });

  it('counts tokens', async () => {
    const model = await patchbayModel('fake-model');
    assert.ok((await model.countTokens('a few words to count')) > 0);
  });
});
