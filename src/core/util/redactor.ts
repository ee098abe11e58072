/**
 * Removes secrets from text before it is logged. Keys the core has handed out are removed
 * wherever they appear; bearer tokens and key-shaped strings are removed even when we never
 * saw the key itself (a server may echo a header back in an error).
 */
const PATTERNS: RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?\s*(?:bearer|basic|token)?\s*)[^\s"',}]+/gi,
  /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(sk-)[A-Za-z0-9_-]{8,}/g,
  /([?&](?:api[_-]?key|key|token|access_token)=)[^&\s"']+/gi,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  remember(secret: string): void {
    // Very short values would blank out ordinary words.
    if (secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    for (const pattern of PATTERNS) result = result.replace(pattern, (_match, prefix: string) => `${prefix}[redacted]`);
    return result;
  }
}
