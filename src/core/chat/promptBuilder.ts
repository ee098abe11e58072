/** Turns the conversation into the messages a provider sends to its server. */
import type { ChatImage, ChatMessage } from '../api';
import type { ContextAttachment, Turn, UserTurn } from './conversation';

/**
 * `images`: the bytes of the questions' images by hash (one that is missing is left out, and
 * the message says so), or `not-read` for a model that does not read images (all left out, said so).
 */
export function buildMessages(turns: readonly Turn[], systemPrompt: string | undefined, images: ReadonlyMap<string, ChatImage> | 'not-read' = new Map()): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (systemPrompt && systemPrompt.trim() !== '') messages.push({ role: 'system', content: systemPrompt });
  for (const turn of turns) {
    if (turn.role === 'user') {
      messages.push(userMessage(turn, images));
    } else if (turn.content.trim() !== '') {
      // Reasoning is not sent back: models are trained to see only earlier answers.
      messages.push({ role: 'assistant', content: turn.content });
    }
  }
  return messages;
}

function userMessage(turn: UserTurn, images: ReadonlyMap<string, ChatImage> | 'not-read'): ChatMessage {
  const content = userContent(turn.prompt ?? turn.text, turn.attachments);
  if (!turn.images?.length) return { role: 'user', content };
  const found = images === 'not-read' ? [] : turn.images.flatMap((image) => images.get(image.sha256) ?? []);
  const missing = turn.images.length - found.length;
  const why = images === 'not-read' ? 'this model does not read images' : 'they could not be read from the history';
  const note = missing > 0 ? `\n\n[${missing} image${missing === 1 ? '' : 's'} of this question left out: ${why}]` : '';
  return { role: 'user', content: `${content}${note}`, ...(found.length > 0 ? { images: found } : {}) };
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
