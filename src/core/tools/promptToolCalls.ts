/**
 * Tool calling for models without native support: the tools are described in the system
 * prompt and the model answers with `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`
 * blocks, which are taken out of the streamed text (tags may be split across chunks). Some
 * servers leak native calls as the same blocks in the text (vLLM with Qwen and no tool
 * parser), so the same extraction also runs when tools were offered natively.
 */
import type { ChatMessage, ToolCall, ToolSpec } from '../api';
import { PatchbayError } from '../errors';
import { megabytes, wireLimits } from '../streaming/wireError';
import { partialTagLength } from '../util/partialTag';

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

export function toolsSystemPrompt(tools: readonly ToolSpec[]): string {
  const described = tools.map((tool) => JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters })).join('\n');
  return [
    'You can call tools to answer. These are the tools, one JSON object per line:',
    described,
    '',
    `To call a tool, reply with a block like this and nothing after it:\n${OPEN}{"name": "tool_name", "arguments": {"argument": "value"}}${CLOSE}`,
    'You may put several blocks one after another to call several tools. Each result comes back in the next message; then answer the user with it. Call a tool only when it helps.',
  ].join('\n');
}

/**
 * For a model that calls tools through the prompt: the tool descriptions go into the system
 * message, and earlier calls and results become plain text it understands.
 */
export function messagesWithToolsInPrompt(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): ChatMessage[] {
  const instructions = toolsSystemPrompt(tools);
  const converted: ChatMessage[] = messages.map((message): ChatMessage => {
    if (message.role === 'assistant' && message.toolCalls?.length) {
      const blocks = message.toolCalls.map((call) => `${OPEN}{"name": ${JSON.stringify(call.name)}, "arguments": ${call.arguments || '{}'}}${CLOSE}`);
      return { role: 'assistant', content: [message.content, ...blocks].filter((part) => part !== '').join('\n') };
    }
    if (message.role === 'tool') return { role: 'user', content: `Result of the tool call ${message.name ?? ''} (${message.toolCallId ?? ''}):\n${message.content}` };
    return { role: message.role, content: message.content, ...(message.images ? { images: message.images } : {}) };
  });
  const first = converted[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instructions}` }, ...converted.slice(1)];
  return [{ role: 'system', content: instructions }, ...converted];
}

/** Error words servers use when a model or server cannot take `tools`. */
const NO_TOOL_SUPPORT = /(does not|doesn't|do not) support tools|tools? (is|are) not supported|not support(ed)? .*tool|tool[_ ]choice|requires --enable-auto-tool-choice|--jinja|unsupported.*tool|tool.*unsupported|unknown (field|parameter).*tools|unrecognized.*tools/i;

/** Whether a failure says the model or server cannot take native `tools` (so the prompt should carry them). */
export function refusesNativeTools(problem: PatchbayError): boolean {
  return NO_TOOL_SUPPORT.test(`${problem.message} ${problem.hint ?? ''}`);
}

export interface ExtractedPiece {
  text: string;
  calls: ToolCall[];
  /** A tool call grew past the limit: it was dropped, and the answer must end with this error. */
  problem?: PatchbayError;
}

export class ToolCallTextExtractor {
  private held = '';
  private inside = false;
  private count = 0;

  constructor(private readonly idPrefix: string) {}

  /** The text to show, and the calls completed in this piece. */
  push(text: string): ExtractedPiece {
    this.held += text;
    return this.consume(false);
  }

  flush(): ExtractedPiece {
    return this.consume(true);
  }

  private consume(final: boolean): ExtractedPiece {
    let shown = '';
    const calls: ToolCall[] = [];
    let problem: PatchbayError | undefined;
    for (;;) {
      if (!this.inside) {
        const open = this.held.indexOf(OPEN);
        if (open === -1) {
          const keep = final ? 0 : partialTagLength(this.held, OPEN);
          shown += this.held.slice(0, this.held.length - keep);
          this.held = this.held.slice(this.held.length - keep);
          break;
        }
        shown += this.held.slice(0, open);
        this.held = this.held.slice(open + OPEN.length);
        this.inside = true;
      }
      const close = this.held.indexOf(CLOSE);
      if (close === -1) {
        if (final) {
          // An unclosed block at the very end: models often stop right after the JSON, which
          // is then a call. A block cut off inside its JSON (the token limit) is no call: what
          // the model wrote stays in the answer.
          const call = this.completeCall(this.held);
          if (call) calls.push(call);
          else shown += OPEN + this.held;
          this.held = '';
          this.inside = false;
        } else if (this.held.length > wireLimits.maxToolArgumentChars) {
          this.held = '';
          this.inside = false;
          problem = new PatchbayError('bad-request', `The model wrote a tool call longer than ${megabytes(wireLimits.maxToolArgumentChars)}, so Patchbay stopped reading it.`, {
            hint: 'Ask for a smaller change, or retry.',
            actions: ['retry'],
          });
        }
        break;
      }
      calls.push(this.toCall(this.held.slice(0, close)));
      this.held = this.held.slice(close + CLOSE.length);
      this.inside = false;
    }
    return { text: shown, calls, ...(problem ? { problem } : {}) };
  }

  /** The call in a block whose JSON is whole and names a tool, else undefined. */
  private completeCall(body: string): ToolCall | undefined {
    try {
      const parsed = JSON.parse(body.trim()) as { name?: unknown };
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.name !== 'string' || parsed.name === '') return undefined;
    } catch {
      return undefined;
    }
    return this.toCall(body);
  }

  private toCall(body: string): ToolCall {
    const id = `${this.idPrefix}${++this.count}`;
    const trimmed = body.trim();
    try {
      const parsed = JSON.parse(trimmed) as { name?: unknown; arguments?: unknown; parameters?: unknown };
      const args = parsed.arguments ?? parsed.parameters ?? {};
      return { id, name: typeof parsed.name === 'string' ? parsed.name : '', arguments: typeof args === 'string' ? args : JSON.stringify(args) };
    } catch {
      // Kept so the model can be told its call was not valid JSON.
      return { id, name: /"name"\s*:\s*"([^"]+)"/.exec(trimmed)?.[1] ?? '', arguments: trimmed };
    }
  }
}
