/**
 * What a scripted model sends back through the fake server: one OpenAI-style streamed reply
 * (SSE), a delta and then its finish reason, as real servers end a turn.
 */
export function sseReply(delta: object, finish: string) {
  return {
    headers: { 'content-type': 'text/event-stream' },
    steps: [
      { kind: 'write' as const, data: `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n` },
      { kind: 'write' as const, data: `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: finish }] })}\n\ndata: [DONE]\n\n` },
    ],
  };
}
