/** Patchbay's messages and tools in the OpenAI chat completions shape. */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, ToolSpec } from '../../../src/core/api';

export function toOpenAiMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'tool':
        return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
      case 'assistant':
        return message.toolCalls?.length
          ? {
              role: 'assistant',
              content: message.content,
              tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments || '{}' } })),
            }
          : { role: 'assistant', content: message.content };
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        // Images go as `image_url` parts with data URLs: the form OpenAI-compatible vision servers read.
        return message.images?.length
          ? {
              role: 'user',
              content: [
                { type: 'text', text: message.content },
                ...message.images.map((image) => ({ type: 'image_url' as const, image_url: { url: `data:${image.mimeType};base64,${image.data}` } })),
              ],
            }
          : { role: 'user', content: message.content };
    }
  });
}

export function toOpenAiTools(tools: readonly ToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
}
