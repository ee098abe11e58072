/**
 * Streaming through VS Code's language-model API: 50,000 tokens from a Patchbay model read with
 * `vscode.lm` by an extension in the real VS Code (code-server; the test-only runner extension
 * in its bench mode, test/integration/lmBench.ts), against the same answer through Patchbay's
 * own chat backend in Node, both from the same fake server in the same run. Target >= 0.8x.
 *
 *   npx tsx test/bench/languageModels/lmBench.ts [--vsix patchbay.vsix]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { silentLogger } from '../../../src/core/ports';
import { codeServerEntry, codeServerNode, createProfile, startCodeServer, type Profile, type RunningCodeServer } from '../../e2e/support/codeServer';
import { launchBrowser, Workbench } from '../../e2e/support/workbench';
import { BENCH_QUESTION } from '../../integration/suite/fakeServerQuestions';
import { packageRunner } from '../../integration/packageRunner';
import { suiteWorkspaceConfig } from '../../integration/suiteFakeServer';
import { FakeModelServer, type ScriptedResponse, type WireStep } from '../../support/fakeModelServer';
import { fakeEndpoint, testBackend } from '../../support/testBackend';
import { rememberDescendants } from '../activation/processTree';
import { ourVsix } from '../activation/ourVsix';
import { median, peakMemoryMB, report } from '../benchResult';

const TOKENS = 50_000;
const RUNS = 5;
const root = path.resolve(__dirname, '../../..');

function longAnswer(): ScriptedResponse {
  const delta = (text: string) => `data: {"id":"c","object":"chat.completion.chunk","model":"fake-model","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]}\n\n`;
  const body = Array.from({ length: TOKENS }, () => delta('tok ')).join('') + 'data: {"id":"c","object":"chat.completion.chunk","model":"fake-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
  const steps: WireStep[] = [];
  for (let offset = 0; offset < body.length; offset += 65_536) steps.push({ kind: 'write', data: body.slice(offset, offset + 65_536) });
  return { headers: { 'content-type': 'text/event-stream' }, steps };
}

/** Tokens per second through Patchbay's own chat backend (the conversation service), in Node. */
async function backendRuns(fake: FakeModelServer): Promise<number[]> {
  const { backend } = testBackend({
    pluginRoots: () => [{ dir: path.join(root, 'plugins'), source: 'bundled' }],
    endpointLayers: () => fakeEndpoint(fake.openAiBaseUrl),
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 30_000, generation: {} }),
    log: silentLogger,
    loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
  });
  await backend.models.refresh();
  const rates: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    await backend.conversations.newChat();
    const started = performance.now();
    await backend.conversations.send(BENCH_QUESTION);
    const answer = backend.conversations.conversation.turns.at(-1);
    const tokens = answer?.role === 'assistant' ? answer.content.split(' ').filter((word) => word === 'tok').length : 0;
    if (tokens !== TOKENS) throw new Error(`the backend delivered ${tokens} tokens, not ${TOKENS}`);
    if (run > 0) rates.push(TOKENS / ((performance.now() - started) / 1000));
  }
  await backend.dispose();
  return rates;
}

/** Tokens per second through vscode.lm, measured by the runner extension inside code-server. */
async function vscodeRuns(fake: FakeModelServer, vsix: string): Promise<number[]> {
  const runner = packageRunner();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'patchbay-bench-lm-'));
  const workspace = path.join(scratch, 'workspace');
  mkdirSync(path.join(workspace, '.patchbay'), { recursive: true });
  writeFileSync(path.join(workspace, '.patchbay', 'config.yaml'), suiteWorkspaceConfig(fake));
  let profile: Profile | undefined;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let killLeftovers: (() => number[]) | undefined;
  try {
    profile = createProfile(vsix, { 'patchbay.discoverLocalServers': false });
    execFileSync(codeServerNode(), [codeServerEntry(), '--config', profile.configFile, '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', runner.vsix], { stdio: 'pipe', env: { ...process.env, HOME: profile.root } });
    const resultFile = path.join(scratch, 'bench.json');
    server = await startCodeServer(profile, { env: { PATCHBAY_INTEGRATION_BENCH: resultFile, PATCHBAY_INTEGRATION_BENCH_SIZE: `${RUNS},${TOKENS}` } });
    browser = await launchBrowser();
    const workbench = await Workbench.open(browser, server.url, workspace);
    const deadline = Date.now() + 240_000;
    while (!existsSync(resultFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    await workbench.close();
    if (!existsSync(resultFile)) throw new Error('the runner wrote no figures within 240 s');
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { tokensPerSecond?: number[]; error?: string };
    if (!result.tokensPerSecond) throw new Error(`the runner failed: ${result.error}`);
    return result.tokensPerSecond;
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) killLeftovers = rememberDescendants(server.pid);
    await server?.stop();
    killLeftovers?.();
    for (const dir of [scratch, runner.dir, profile?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const vsix = ourVsix(process.argv.slice(2));
  const fake = await FakeModelServer.start();
  fake.onChat = (request) => (JSON.stringify(request.json).includes(BENCH_QUESTION) ? longAnswer() : undefined);
  try {
    const baseline = await backendRuns(fake);
    const ours = await vscodeRuns(fake, vsix);
    const ratio = median(ours) / median(baseline);
    report([
      {
        metric: `streaming ${TOKENS / 1000}k tokens through vscode.lm (an extension reads a Patchbay model)`,
        ours: Math.round(median(ours)),
        baseline: Math.round(median(baseline)),
        unit: 'tokens/s',
        ratio,
        higherIsBetter: true,
        target: '>= 0.8x',
        pass: ratio >= 0.8,
        notes: `medians of ${RUNS} runs after one warm-up each; ours: response.text read by an extension in code-server (VS Code 1.106.3); baseline: Patchbay's own chat backend (conversation service) in Node; ours ${ours.map(Math.round).join('/')}, baseline ${baseline.map(Math.round).join('/')}`,
        peakMemoryMB: peakMemoryMB(),
      },
    ]);
  } finally {
    await fake.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
