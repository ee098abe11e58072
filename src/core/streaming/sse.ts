/**
 * Text lines -> server-sent events, following the WHATWG event-stream rules: a blank line
 * dispatches, `:` starts a comment, one optional space after the field's colon.
 */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

export async function* sseEvents(lines: AsyncIterable<string>): AsyncGenerator<SseEvent> {
  let dataLines: string[] = [];
  let eventName: string | undefined;
  for await (const line of lines) {
    if (line === '') {
      if (dataLines.length > 0) yield { event: eventName, data: dataLines.join('\n') };
      dataLines = [];
      eventName = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') eventName = value;
  }
  // A stream that ends without the final blank line still delivered its last event.
  if (dataLines.length > 0) yield { event: eventName, data: dataLines.join('\n') };
}
