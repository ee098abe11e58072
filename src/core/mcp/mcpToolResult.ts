/**
 * What an MCP tool returned, as the text the model reads. Text parts are joined; an embedded
 * resource counts as its text; a link to a resource, an image or audio becomes a short
 * placeholder, never its bytes (a base64 image would fill the model's window with noise).
 * The images themselves are kept beside the text as `data:` URIs: local data, which the
 * webview's sanitizer already lets an `<img>` show (only `data:image/…`), so the host can put
 * them on the tool's card. The text is capped like an OpenAPI tool's response (1 MB), with a
 * note saying what was cut; the tool runner then cuts what the model gets further.
 * `isError: true` is the tool's own failure: thrown with the server's words.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export interface McpToolOutput {
  text: string;
  images: { mimeType: string; dataUri: string }[];
}

/** Characters of a result kept, as an OpenAPI tool's response is read up to 1 MB. */
export const MAX_RESULT_CHARS = 1_000_000;

export class McpToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpToolError';
  }
}

export function toolOutput(result: CallToolResult, toolName: string, serverName: string): McpToolOutput {
  const images: McpToolOutput['images'] = [];
  const parts: string[] = [];
  for (const block of result.content) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
        images.push({ mimeType: block.mimeType, dataUri: `data:${block.mimeType};base64,${block.data}` });
        parts.push(`[image ${images.length}: ${block.mimeType}, ${sizeOf(block.data)}; shown to the user, not included here]`);
        break;
      case 'audio':
        parts.push(`[audio: ${block.mimeType}, ${sizeOf(block.data)}; not included]`);
        break;
      case 'resource':
        parts.push('text' in block.resource ? block.resource.text : `[binary resource ${block.resource.uri}${block.resource.mimeType ? ` (${block.resource.mimeType})` : ''}, ${sizeOf(block.resource.blob)}; not included]`);
        break;
      case 'resource_link':
        parts.push(`[resource: ${block.uri}${block.name && block.name !== block.uri ? ` (${block.name})` : ''}]`);
        break;
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  const text = capped(parts.join('\n'));
  if (result.isError === true) throw new McpToolError(`the tool "${toolName}" of MCP server "${serverName}" reported an error: ${text || '(no message)'}`);
  return { text: text || '(no result)', images };
}

function capped(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n\n[Cut: the tool returned ${text.length.toLocaleString('en-US')} characters; the first ${MAX_RESULT_CHARS.toLocaleString('en-US')} are kept.]`;
}

/** The decoded size of base64 data, readable. */
function sizeOf(base64: string): string {
  const bytes = Math.floor((base64.replace(/=+$/, '').length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}
