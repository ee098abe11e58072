/** A conversation as a Markdown document, for "Export". */
import type { Conversation, Turn } from '../chat/conversation';

export function conversationToMarkdown(conversation: Conversation, now: Date = new Date()): string {
  const lines = [`# ${conversation.title}`, '', `_Exported from Patchbay on ${now.toISOString().slice(0, 10)}._`, ''];
  for (const turn of conversation.turns) lines.push(...turnLines(turn), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function turnLines(turn: Turn): string[] {
  if (turn.role === 'user') {
    const lines = [`## You`, ''];
    for (const attachment of turn.attachments) {
      const fence = '`'.repeat(Math.max(3, ...Array.from(attachment.text.matchAll(/`+/g), (match) => match[0].length + 1)));
      lines.push(`${attachment.label}:`, '', `${fence}${attachment.language ?? ''}`, attachment.text, fence, '');
    }
    lines.push(turn.text);
    return lines;
  }
  const lines = [`## ${turn.model?.label ?? 'Assistant'}`, ''];
  if (turn.reasoning.trim() !== '') lines.push('<details><summary>Thought process</summary>', '', turn.reasoning.trim(), '', '</details>', '');
  for (const call of turn.toolCalls ?? []) {
    lines.push(`> Tool call \`${call.tool}\`${call.method ? ` (${call.method} ${call.url ?? ''})` : ''}: ${call.status}`);
  }
  if (turn.toolCalls?.length) lines.push('');
  lines.push(turn.content.trim() === '' ? '_(no answer)_' : turn.content.trim());
  if (turn.status !== 'complete' && turn.status !== 'streaming') lines.push('', `_(${turn.status}${turn.problem ? `: ${turn.problem.message}` : ''})_`);
  return lines;
}
