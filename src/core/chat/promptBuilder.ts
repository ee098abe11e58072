/** Turns the conversation into the messages a provider sends to its server. */
import type { ChatMessage } from '../api';
import type { ContextAttachment, Turn } from './conversation';

export function buildMessages(turns: readonly Turn[], systemPrompt: string | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (systemPrompt && systemPrompt.trim() !== '') messages.push({ role: 'system', content: systemPrompt });
  for (const turn of turns) {
    if (turn.role === 'user') {
      messages.push({ role: 'user', content: userContent(turn.prompt ?? turn.text, turn.attachments) });
    } else if (turn.content.trim() !== '') {
      // Reasoning is not sent back: models are trained to see only earlier answers.
      messages.push({ role: 'assistant', content: turn.content });
    }
  }
  return messages;
}

export function userContent(text: string, attachments: readonly ContextAttachment[]): string {
  if (attachments.length === 0) return text;
  const blocks = attachments.map((attachment) => {
    const fence = fenceFor(attachment.text);
    return `${attachment.label}:\n${fence}${attachment.language ?? ''}\n${attachment.text}\n${fence}`;
  });
  return `${blocks.join('\n\n')}\n\n${text}`;
}

/** A fence longer than any backtick run inside the code, so the code cannot close it. */
function fenceFor(code: string): string {
  const longestRun = Math.max(0, ...Array.from(code.matchAll(/`+/g), (match) => match[0].length));
  return '`'.repeat(Math.max(3, longestRun + 1));
}
