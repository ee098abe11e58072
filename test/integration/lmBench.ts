/**
 * The extension-host half of `npm run bench -- languageModels`: inside VS Code, stream an answer
 * of many tokens from a Patchbay model through `vscode.lm`, and time it.
 */
import * as vscode from 'vscode';
import { BENCH_QUESTION } from './suite/fakeServerQuestions';

export async function benchLanguageModel(runs: number, expectedTokens: number): Promise<{ tokensPerSecond: number[] }> {
  let model: vscode.LanguageModelChat | undefined;
  const deadline = Date.now() + 30_000;
  while (!model) {
    model = (await vscode.lm.selectChatModels({ vendor: 'patchbay' })).find((item) => item.id.endsWith('/fake-model'));
    if (!model && Date.now() > deadline) throw new Error('no patchbay fake-model to measure');
    if (!model) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const tokensPerSecond: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(BENCH_QUESTION)], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const piece of response.text) text += piece;
    const tokens = text.split(' ').filter((word) => word === 'tok').length;
    if (tokens !== expectedTokens) throw new Error(`vscode.lm delivered ${tokens} tokens, not ${expectedTokens}`);
    // The first run warms up both sides, and is not kept.
    if (run > 0) tokensPerSecond.push(tokens / ((performance.now() - started) / 1000));
  }
  return { tokensPerSecond };
}
