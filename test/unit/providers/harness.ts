/**
 * Runs the bundled provider plugins the way the extension does: discovered in plugins/,
 * loaded by the plugin runtime, instantiated through the registry, streamed through the core's
 * answer pipeline, against the fake server speaking the real wire formats.
 */
import path from 'node:path';
import type { ChatMessage, EndpointConfig, GenerationOptions, ProviderInstance } from '../../../src/core/api';
import { streamAnswer, type AnswerEvent, type AnswerOutcome, type RateLimitPolicy } from '../../../src/core/chat/streamAnswer';
import { ContributionRegistry } from '../../../src/core/plugins/contributionRegistry';
import { discoverPlugins } from '../../../src/core/plugins/discovery';
import { PluginRuntime } from '../../../src/core/plugins/pluginRuntime';
import { selectPlugins } from '../../../src/core/plugins/pluginSelection';
import { silentLogger } from '../../../src/core/ports';
import { failureContextFor } from '../../../src/core/providers/providerCatalog';

let loaded: Promise<ContributionRegistry> | undefined;

export function bundledRegistry(): Promise<ContributionRegistry> {
  loaded ??= (async () => {
    const registry = new ContributionRegistry();
    const runtime = new PluginRuntime({ registry, loggerFor: () => silentLogger });
    const { candidates } = await discoverPlugins([{ dir: path.resolve(__dirname, '../../../plugins'), source: 'bundled' }]);
    await runtime.sync(selectPlugins(candidates, { workspaceTrusted: true, loadOnly: undefined, enabled: undefined, disabled: [] }), { settingsFor: () => undefined });
    return registry;
  })();
  return loaded;
}

export interface Endpoint {
  instance: ProviderInstance;
  config: EndpointConfig;
  registry: ContributionRegistry;
}

export async function endpoint(type: 'openai-compatible' | 'ollama', baseUrl: string, options: { apiKey?: string; label?: string; extra?: Record<string, unknown> } = {}): Promise<Endpoint> {
  const registry = await bundledRegistry();
  const definition = registry.providerType(type)?.definition;
  if (!definition) throw new Error(`bundled provider type ${type} is not registered`);
  const config: EndpointConfig = { id: 'test', label: options.label ?? 'Test server', type, baseUrl, options: options.extra ?? {} };
  const instance = definition.create(config, {
    getApiKey: async () => options.apiKey,
    headers: async () => ({}),
    fetch: (input, init) => fetch(input, init),
    log: silentLogger,
  });
  return { instance, config, registry };
}

export interface Answer {
  outcome: AnswerOutcome;
  text: string;
  reasoning: string;
  events: AnswerEvent[];
}

export async function ask(
  target: Endpoint,
  model: string,
  options: { messages?: ChatMessage[]; generation?: GenerationOptions; idleTimeoutMs?: number; signal?: AbortSignal; rateLimit?: RateLimitPolicy } = {},
): Promise<Answer> {
  const events: AnswerEvent[] = [];
  const definition = target.registry.providerType(target.config.type)?.definition;
  const outcome = await streamAnswer({
    provider: target.instance,
    request: { model, messages: options.messages ?? [{ role: 'user', content: 'hello' }], options: options.generation ?? {} },
    failureContext: { ...failureContextFor(target.config, definition, target.registry), model },
    signal: options.signal ?? new AbortController().signal,
    idleTimeoutMs: options.idleTimeoutMs ?? 5000,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    onEvent: (event) => events.push(event),
  });
  let text = '';
  let reasoning = '';
  for (const event of events) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'reasoning') reasoning += event.text;
    else if (event.type === 'reclassify') {
      reasoning += text;
      text = '';
    }
  }
  return { outcome, text, reasoning, events };
}
