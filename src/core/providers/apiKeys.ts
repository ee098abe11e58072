/**
 * API keys are saved per origin (scheme, host and port) and handed only to endpoints on
 * that origin. A workspace config that points an endpoint elsewhere therefore never
 * receives a key the user saved for another server.
 */
import type { SecretPort } from '../ports';
import { originOf } from '../util/url';

const PREFIX = 'patchbay.apiKey:';

export class ApiKeyStore {
  constructor(
    private readonly secrets: SecretPort,
    /** Told about every key read, so loggers can redact it. */
    private readonly onKeyRead: (key: string) => void = () => undefined,
  ) {}

  async get(baseUrl: string): Promise<string | undefined> {
    const key = await this.secrets.get(PREFIX + originOf(baseUrl));
    if (key) this.onKeyRead(key);
    return key || undefined;
  }

  async set(baseUrl: string, key: string): Promise<void> {
    this.onKeyRead(key);
    await this.secrets.store(PREFIX + originOf(baseUrl), key);
  }

  async delete(baseUrl: string): Promise<void> {
    await this.secrets.delete(PREFIX + originOf(baseUrl));
  }
}
