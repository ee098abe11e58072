/**
 * Text lines -> server-sent events, following the WHATWG event-stream rules: a blank line
 * dispatches, `:` starts a comment, one optional space after the field's colon.
 */
export interface SseEvent {
  event: string | undefined;
  data: string;
  /**
   * The body ended before the blank line that completes this event. The spec drops such an
   * event; it is passed on marked, because some servers leave out the last blank line, and
   * the next layer keeps it only when its payload is whole.
   */
  unfinished?: true;
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
  if (dataLines.length > 0) yield { event: eventName, data: dataLines.join('\n'), unfinished: true };
}
