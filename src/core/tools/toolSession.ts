/** The tools of one answer, as the answer's rounds use them. */
import type { ChatRequest, ToolCall } from '../api';
import type { PatchbayError } from '../errors';
import type { ToolCallView, ToolsOffered } from './toolCallView';

export interface ToolSession {
  mode: 'native' | 'prompt';
  specs: ChatRequest['tools'] & object;
  offered: ToolsOffered;
  maxRounds: number;
  /**
   * A native request failed; if it failed because the server or model cannot take tools,
   * switch to describing them in the prompt (remembered for the model) and say so.
   */
  fallbackToPrompt(problem: PatchbayError): boolean;
  run(call: ToolCall, signal: AbortSignal, update: (view: ToolCallView) => void): Promise<string>;
}
