/**
 * A conversation as a Markdown document, for "Export". Known secrets are taken out of all
 * of it, and key-shaped strings out of error text too (a conversation saved by an earlier
 * version may hold a server's error that echoed the key).
 */
import type { AnswerSource, Conversation, Turn } from '../chat/conversation';
import { Redactor } from '../util/redactor';
import { sizeText } from '../chat/chatImages';

export function conversationToMarkdown(conversation: Conversation, now: Date = new Date(), redactor: Redactor = new Redactor()): string {
  const lines = [`# ${conversation.title}`, '', `_Exported from Patchbay on ${now.toISOString().slice(0, 10)}._`, ''];
  for (const turn of conversation.turns) lines.push(...turnLines(turn, redactor), '');
  return redactor.redactKnown(`${lines.join('\n').trimEnd()}\n`);
}

/** `[title](url) — snippet`; a title's brackets are escaped so it cannot end the link text. */
function sourceLine(source: AnswerSource): string {
  const title = source.title.replace(/([[\]\\])/g, '\\$1');
  const link = source.url !== undefined && /^https?:\/\//i.test(source.url) ? `[${title}](${source.url.replace(/[()<>\s]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})` : title;
  return source.snippet !== undefined ? `${link} — ${source.snippet.replace(/\s+/g, ' ')}` : link;
}

function turnLines(turn: Turn, redactor: Redactor): string[] {
  if (turn.role === 'user') {
    const lines = [`## You`, ''];
    for (const attachment of turn.attachments) {
      const fence = '`'.repeat(Math.max(3, ...Array.from(attachment.text.matchAll(/`+/g), (match) => match[0].length + 1)));
      lines.push(`${attachment.label}:`, '', `${fence}${attachment.language ?? ''}`, attachment.text, fence, '');
    }
    // The images themselves stay in Patchbay's history; the document says which went with the question.
    for (const image of turn.images ?? []) lines.push(`_Image: ${image.name.replace(/([\\`*_[\]<>])/g, '\\$1')} (${image.mimeType.slice('image/'.length).toUpperCase()}, ${sizeText(image.size)})_`, '');
    lines.push(turn.text);
    return lines;
  }
  const lines = [`## ${turn.model?.label ?? 'Assistant'}`, ''];
  if (turn.reasoning.trim() !== '') lines.push('<details><summary>Thought process</summary>', '', turn.reasoning.trim(), '', '</details>', '');
  for (const call of turn.toolCalls ?? []) {
    lines.push(`> Tool call \`${call.tool}\`${call.method ? ` (${call.method} ${redactor.redact(call.url ?? '')})` : ''}: ${call.status}`);
  }
  if (turn.toolCalls?.length) lines.push('');
  lines.push(turn.content.trim() === '' ? '_(no answer)_' : turn.content.trim());
  if (turn.citations?.length) lines.push('', 'Sources:', '', ...turn.citations.map((source, index) => `${index + 1}. ${sourceLine(source)}`));
  if (turn.status !== 'complete' && turn.status !== 'streaming') lines.push('', `_(${turn.status}${turn.problem ? `: ${redactor.redact(turn.problem.message)}` : ''})_`);
  return lines;
}
