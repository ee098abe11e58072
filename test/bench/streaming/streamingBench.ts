/**
 * Streaming through Patchbay's real path — the bundled OpenAI-compatible provider plugin,
 * the chat session with a (pass-through) filter plugin, and the host's per-frame batching up
 * to the point where the webview would receive the message — against a bare `openai`
 * package loop reading the same stream from the same local server.
 *
 *   throughput: 50,000 tokens as fast as the server can send them; ours >= 0.9x the baseline.
 *   added latency: one token every 3.3 ms (300 tokens/s); p99 from the server writing a token
 *   to the webview message carrying it < 16 ms.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import type { ChatServices } from '../../../src/core/chatServices';
import { silentLogger } from '../../../src/core/ports';
import { WebviewChannel } from '../../../src/host/webviewChannel';
import type { HostToWebview } from '../../../src/protocol/messages';
import { FakeModelServer, type ScriptedResponse, type WireStep } from '../../support/fakeModelServer';
import { fakeEndpoint, testBackend } from '../../support/testBackend';
import { median, peakMemoryMB, percentile, report, type BenchResult } from '../benchResult';

const TOKENS = 50_000;
const LATENCY_TOKENS = 1_000;
const LATENCY_INTERVAL_MS = 1000 / 300;
const RUNS = 5;
const root = path.resolve(__dirname, '../../..');

function sseEvent(text: string): string {
  return `data: {"id":"c","object":"chat.completion.chunk","model":"bench","choices":[{"index":0,"delta":{"content":${JSON.stringify(text)}},"finish_reason":null}]}\n\n`;
}

const ending = 'data: {"id":"c","object":"chat.completion.chunk","model":"bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';

/** 50,000 one-token deltas, written in 64 KB pieces as a fast server's socket would carry them. */
function fastStream(): ScriptedResponse {
  const body = Array.from({ length: TOKENS }, (_, index) => sseEvent(index % 10 === 9 ? 'tok\n' : 'tok ')).join('') + ending;
  const steps: WireStep[] = [];
  for (let offset = 0; offset < body.length; offset += 65_536) steps.push({ kind: 'write', data: body.slice(offset, offset + 65_536) });
  return { headers: { 'content-type': 'text/event-stream' }, steps };
}

/** One token every 3.3 ms, each carrying its number; the write time of each is recorded. */
function pacedStream(writtenAt: Map<number, number>): ScriptedResponse {
  const steps: WireStep[] = [];
  let due = 0;
  for (let index = 0; index < LATENCY_TOKENS; index++) {
    steps.push({ kind: 'run', action: () => writtenAt.set(index, performance.now()) }, { kind: 'write', data: sseEvent(`<${index}> `) });
    // Whole milliseconds for the timer, spread so the average rate is 300 tokens/s.
    const next = Math.round((index + 1) * LATENCY_INTERVAL_MS);
    steps.push({ kind: 'delay', ms: next - due });
    due = next;
  }
  steps.push({ kind: 'write', data: ending });
  return { headers: { 'content-type': 'text/event-stream' }, steps };
}

async function baselineRun(server: FakeModelServer): Promise<number> {
  const client = new OpenAI({ baseURL: server.openAiBaseUrl, apiKey: 'bench', maxRetries: 0 });
  const started = performance.now();
  let tokens = 0;
  const stream = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'go' }], stream: true });
  for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) tokens++;
  const seconds = (performance.now() - started) / 1000;
  if (tokens !== TOKENS) throw new Error(`the baseline read ${tokens} tokens, not ${TOKENS}`);
  return tokens / seconds;
}

interface Pipeline {
  backend: ChatServices;
  /** Resolves with the time the answer's last text reached the "webview". */
  run(question: string, onText?: (text: string, at: number) => void): Promise<number>;
}

async function ourPipeline(server: FakeModelServer, pluginDir: string): Promise<Pipeline> {
  const { backend } = testBackend({
    pluginRoots: () => [{ dir: path.join(root, 'plugins'), source: 'bundled' }, { dir: pluginDir, source: 'global' }],
    endpointLayers: () => fakeEndpoint(server.openAiBaseUrl),
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 30_000, generation: {} }),
    log: silentLogger,
    loadSelectedModel: () => ({ providerId: 'fake', modelId: 'fake-model' }),
  });
  await backend.models.refresh();
  let onPost: ((message: HostToWebview) => void) | undefined;
  // The host's real batching, with a webview that only looks at what it receives.
  const channel = new WebviewChannel({ postMessage: async (message: HostToWebview) => (onPost?.(message), true) });
  channel.markReady({ type: 'focusInput' });
  backend.conversations.onEvent((event) => {
    if (event.type !== 'reset') channel.post(event);
  });
  return {
    backend,
    run: (question, onText) =>
      new Promise<number>((resolve, reject) => {
        let lastText = 0;
        onPost = (message) => {
          const at = performance.now();
          if (message.type === 'turnDelta' && message.content) {
            lastText = at;
            onText?.(message.content, at);
          }
          if (message.type === 'busy' && !message.busy) resolve(lastText);
        };
        backend.conversations.send(question).catch(reject);
      }),
  };
}

async function main(): Promise<void> {
  const server = await FakeModelServer.start();
  const pluginDir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-bench-stream-'));
  // A filter that passes every piece through: the path includes the filter chain.
  await writeFile(path.join(pluginDir, 'passthrough.js'), `exports.activate = (ctx) => ctx.registerFilter({ id: 'passthrough', stream: (event) => event });`);
  const results: BenchResult[] = [];
  try {
    const pipeline = await ourPipeline(server, pluginDir);
    server.onChat = () => fastStream();
    const ours: number[] = [];
    const baseline: number[] = [];
    await baselineRun(server);
    for (let run = 0; run < RUNS; run++) {
      baseline.push(await baselineRun(server));
      await pipeline.backend.conversations.newChat();
      const started = performance.now();
      const finished = await pipeline.run('go');
      const text = pipeline.backend.conversations.conversation.turns.at(-1);
      const received = text?.role === 'assistant' ? text.content.split(/\s/).filter((word) => word === 'tok').length : 0;
      if (received !== TOKENS) throw new Error(`our path delivered ${received} tokens, not ${TOKENS}`);
      ours.push(TOKENS / ((finished - started) / 1000));
    }
    const oursRate = median(ours);
    const baselineRate = median(baseline);
    results.push({
      metric: 'streaming throughput (50k tokens, to the webview message)',
      ours: Math.round(oursRate),
      baseline: Math.round(baselineRate),
      unit: 'tokens/s',
      ratio: oursRate / baselineRate,
      higherIsBetter: true,
      target: '>= 0.9x',
      pass: oursRate / baselineRate >= 0.9,
      peakMemoryMB: peakMemoryMB(),
      notes: `medians of ${RUNS} runs each, interleaved; baseline: a bare openai-package loop`,
    });

    const writtenAt = new Map<number, number>();
    server.onChat = () => pacedStream(writtenAt);
    await pipeline.backend.conversations.newChat();
    const latencies: number[] = [];
    await pipeline.run('go slowly', (text, at) => {
      for (const match of text.matchAll(/<(\d+)>/g)) {
        const written = writtenAt.get(Number(match[1]));
        if (written !== undefined) latencies.push(at - written);
      }
    });
    if (latencies.length !== LATENCY_TOKENS) throw new Error(`measured ${latencies.length} of ${LATENCY_TOKENS} tokens`);
    const p99 = percentile(latencies, 99);
    results.push({
      metric: 'added latency per token at 300 tokens/s (p99)',
      ours: Math.round(p99 * 10) / 10,
      unit: 'ms',
      target: 'p99 < 16 ms',
      pass: p99 < 16,
      notes: `median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${LATENCY_TOKENS} tokens, from the server's write to the webview message`,
    });
    await pipeline.backend.dispose();
  } finally {
    await server.close();
    await rm(pluginDir, { recursive: true, force: true });
  }
  report(results);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
