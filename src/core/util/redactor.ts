/**
 * Removes secrets from text before it is logged, shown or saved. Keys the core has handed
 * out are removed wherever they appear; bearer tokens and key-shaped strings are removed
 * even when we never saw the key itself (a server may echo a header back in an error).
 * The key-shaped patterns apply to error and log text only: an answer or a question may
 * rightly contain `Bearer <placeholder>` in a code sample, and there only the known
 * secrets are taken out.
 */
const PATTERNS: RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?\s*(?:bearer|basic|token)?\s*)[^\s"',}]+/gi,
  /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(sk-)[A-Za-z0-9_-]{8,}/g,
  /([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi,
];

const REDACTED = '[redacted]';

export class Redactor {
  private readonly secrets = new Set<string>();

  remember(secret: string): void {
    // Very short values would blank out ordinary words.
    if (secret.length >= 4) this.secrets.add(secret);
  }

  /** Known secrets and key-shaped strings: for logs and error text. */
  redact(text: string): string {
    let result = this.redactKnown(text);
    for (const pattern of PATTERNS) result = result.replace(pattern, (_match, prefix: string) => `${prefix}${REDACTED}`);
    return result;
  }

  /** Only the secrets handed out: for what people wrote, models answered or tools returned. */
  redactKnown(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result;
  }

  /**
   * For text that arrives in pieces (an answer as it streams): a known secret may be split
   * across pieces, so the end of what has arrived is held back while it could be the start of
   * one, and let out once the next piece shows it is not (or redacted, if it is).
   */
  streamRedaction(): StreamRedaction {
    let held = '';
    const secrets = this.secrets;
    const safeEnd = (text: string): number => {
      let end = text.length;
      for (const secret of secrets) {
        // The earliest place in the text's last |secret|-1 characters where the secret could begin.
        const first = secret[0] as string;
        let start = text.indexOf(first, Math.max(0, text.length - secret.length + 1));
        while (start !== -1 && start < end) {
          if (secret.startsWith(text.slice(start))) {
            end = start;
            break;
          }
          start = text.indexOf(first, start + 1);
        }
      }
      return end;
    };
    return {
      push: (text) => {
        if (secrets.size === 0 && held === '') return text;
        // Whole secrets first, so one that ends exactly here is not taken for the start of another.
        const all = this.redactKnown(held + text);
        const end = safeEnd(all);
        held = all.slice(end);
        return all.slice(0, end);
      },
      flush: () => {
        const rest = this.redactKnown(held);
        held = '';
        return rest;
      },
    };
  }

  /** A problem as shown in the chat or a notification: every text in it redacted. */
  redactProblem<T extends { message: string; hint?: string }>(problem: T): T {
    const redacted = { ...problem, message: this.redact(problem.message) };
    if (problem.hint !== undefined) redacted.hint = this.redact(problem.hint);
    return redacted;
  }

  /** A copy of a plain-data value (a conversation to save) with known secrets out of every string. */
  redactStrings<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return redactValue(value, (text) => this.redactKnown(text)) as T;
  }
}

export interface StreamRedaction {
  /** What of the text so far can be shown now, with known secrets out. */
  push(text: string): string;
  /** The rest, at the end of the stream. */
  flush(): string;
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redact)]));
  }
  return value;
}
