/**
 * A request that comes through VS Code's language-model API, as Patchbay's ChatRequest. VS Code
 * sends a tool's result inside a user message and a call inside an assistant message, each as
 * a part; model APIs want the calls on the assistant message and each result as a message of
 * its own, answering its call by id, which is what this makes of them.
 */
import type { ChatMessage, ChatRequest, GenerationOptions, JsonSchema, ToolSpec } from '../api';

export type EditorPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; text: string };

export interface EditorMessage {
  role: 'user' | 'assistant' | 'system';
  parts: EditorPart[];
}

export interface EditorTool {
  name: string;
  description: string;
  inputSchema?: object | undefined;
}

export interface EditorRequestOptions {
  tools?: readonly EditorTool[];
  /** The caller's `modelOptions`: sampling settings by their usual names. */
  modelOptions?: Readonly<Record<string, unknown>>;
}

const NO_ARGUMENTS: JsonSchema = { type: 'object', properties: {} };

export function chatRequestFor(modelId: string, messages: readonly EditorMessage[], options: EditorRequestOptions, defaults: GenerationOptions): ChatRequest {
  const toolNames = new Map<string, string>();
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    const text = message.parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])).join('');
    if (message.role === 'assistant') {
      const calls = message.parts.flatMap((part) => (part.kind === 'toolCall' ? [part] : []));
      for (const call of calls) toolNames.set(call.callId, call.name);
      converted.push({
        role: 'assistant',
        content: text,
        ...(calls.length > 0 ? { toolCalls: calls.map((call) => ({ id: call.callId, name: call.name, arguments: JSON.stringify(call.input ?? {}) })) } : {}),
      });
      continue;
    }
    // Results first: they answer the assistant's calls just before them.
    for (const part of message.parts) {
      if (part.kind !== 'toolResult') continue;
      const name = toolNames.get(part.callId);
      converted.push({ role: 'tool', content: part.text, toolCallId: part.callId, ...(name !== undefined ? { name } : {}) });
    }
    if (text !== '' || !message.parts.some((part) => part.kind === 'toolResult')) converted.push({ role: message.role, content: text });
  }
  const tools: ToolSpec[] | undefined = options.tools?.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: (tool.inputSchema as JsonSchema | undefined) ?? NO_ARGUMENTS,
  }));
  return {
    model: modelId,
    messages: converted,
    options: { ...defaults, ...generationOptionsOf(options.modelOptions ?? {}) },
    ...(tools && tools.length > 0 ? { tools } : {}),
  };
}

/** The sampling settings a caller may pass, under the names callers use (OpenAI's or ours). */
function generationOptionsOf(options: Readonly<Record<string, unknown>>): GenerationOptions {
  const number = (...names: string[]) => names.map((name) => options[name]).find((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const result: GenerationOptions = {};
  const temperature = number('temperature');
  const topP = number('topP', 'top_p');
  const maxTokens = number('maxTokens', 'max_tokens', 'maxOutputTokens');
  if (temperature !== undefined) result.temperature = temperature;
  if (topP !== undefined) result.topP = topP;
  if (maxTokens !== undefined) result.maxTokens = Math.floor(maxTokens);
  const stop = options['stop'];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) result.stop = stop;
  else if (typeof stop === 'string') result.stop = [stop];
  return result;
}
