/**
 * A ChatServices for tests with everything it needs from a host already filled in: the
 * bundled plugins, no endpoints, secrets in memory, and what it saves, selects, logs and
 * emits recorded, and a manual clock: no timeout passes unless the test passes a clock of
 * its own and advances it. A test passes only the dependencies it is about.
 */
import path from 'node:path';
import { ChatServices, type ChatServicesDeps } from '../../src/core/chatServices';
import type { SessionEvent } from '../../src/core/chat/chatSession';
import type { Conversation, ModelRef } from '../../src/core/chat/conversation';
import type { Logger, SecretPort } from '../../src/core/ports';
import type { EndpointLayer } from '../../src/core/providers/endpointLayers';
import { Redactor } from '../../src/core/util/redactor';
import { ManualClock } from './manualClock';

export const bundledPlugins = path.resolve(__dirname, '../../plugins');

export interface TestBackend {
  backend: ChatServices;
  /** Each conversation the backend handed to be saved, as it was then. */
  saved: Conversation[];
  events: SessionEvent[];
  /** Log lines, with known secrets taken out as the host's log does. */
  logs: string[];
  selected: ModelRef[];
  redactor: Redactor;
}

export function memorySecrets(): SecretPort & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: async (key) => data.get(key), store: async (key, value) => void data.set(key, value), delete: async (key) => void data.delete(key) };
}

/** One endpoint "fake" at a fake model server's address, as the settings would list it. */
export function fakeEndpoint(baseUrl: string, type: 'openai-compatible' | 'ollama' = 'openai-compatible'): EndpointLayer[] {
  return [{ source: 'settings', providers: [{ id: 'fake', type, baseUrl }] }];
}

export function testBackend(overrides: Partial<ChatServicesDeps> = {}): TestBackend {
  const saved: Conversation[] = [];
  const logs: string[] = [];
  const selected: ModelRef[] = [];
  const redactor = overrides.redactor ?? new Redactor();
  const record = (message: string) => void logs.push(redactor.redact(message));
  const log: Logger = { debug: record, info: record, warn: record, error: record };
  let id = 0;
  const backend = new ChatServices({
    pluginRoots: () => [{ dir: bundledPlugins, source: 'bundled' }],
    pluginRules: () => ({ workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }),
    pluginSettings: () => undefined,
    endpointLayers: () => [],
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 5000, generation: {} }),
    secrets: memorySecrets(),
    log,
    redactor,
    loadConversation: () => undefined,
    saveConversation: (conversation) => void saved.push(structuredClone(conversation)),
    loadSelectedModel: () => undefined,
    saveSelectedModel: (model) => void selected.push(model),
    newId: () => `id-${++id}`,
    clock: new ManualClock(),
    ...overrides,
  });
  const events: SessionEvent[] = [];
  backend.conversations.onEvent((event) => events.push(event));
  // Started at once, as the host does when the chat is first needed; a failed start reaches
  // whatever waits for it (a model refresh, an answer).
  backend.start().catch(() => undefined);
  return { backend, saved, events, logs, selected, redactor };
}

/**
 * A started backend whose plugins are the files of `dir`, a global plugins folder (so each
 * runs isolated in its worker), with the model "m" of a plugin provider "rec" chosen.
 */
export async function globalPluginBackend(dir: string, overrides: Partial<ChatServicesDeps> = {}): Promise<TestBackend> {
  const made = testBackend({
    pluginRoots: () => [{ dir, source: 'global' }],
    settings: () => ({ discoverLocalServers: false, idleTimeoutMs: 2000, generation: {} }),
    loadSelectedModel: () => ({ providerId: 'rec', modelId: 'm' }),
    ...overrides,
  });
  await made.backend.start();
  return made;
}
