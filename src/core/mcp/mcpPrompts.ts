/**
 * An MCP prompt as a slash command, `/server:prompt`: what follows it becomes its arguments, and the
 * messages the server returns become the text sent. A prompt with one argument takes the
 * whole rest of the line; one with several takes `name=value` pairs (a value with spaces in
 * quotes). A required argument left out is a clear error naming the arguments.
 */
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';

/** `command`: the slash command as the user types it (`server:prompt`). */
export function promptArguments(prompt: Prompt, input: string, command = prompt.name): Record<string, string> {
  const declared = prompt.arguments ?? [];
  const text = input.trim();
  const values: Record<string, string> = {};
  if (declared.length === 1 && declared[0] && !/^\w+=/.test(text)) {
    if (text) values[declared[0].name] = text;
  } else {
    for (const match of text.matchAll(/(\w[\w-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) {
      const name = match[1] ?? '';
      values[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    }
  }
  const missing = declared.filter((argument) => argument.required && !values[argument.name]);
  if (missing.length > 0) {
    const usage = declared.map((argument) => `${argument.name}=${argument.required ? '…' : '[…]'}`).join(' ');
    throw new Error(`/${command} needs ${missing.map((argument) => `"${argument.name}"`).join(', ')}: type /${command} ${usage}`);
  }
  return values;
}

/** The prompt's messages as one text: text parts as they are, embedded resources as their text. */
export function promptText(messages: GetPromptResult['messages']): string {
  return messages
    .map((message) => {
      const content = message.content;
      if (content.type === 'text') return content.text;
      if (content.type === 'resource' && 'text' in content.resource) return content.resource.text;
      return `[${content.type} not included]`;
    })
    .join('\n\n');
}
