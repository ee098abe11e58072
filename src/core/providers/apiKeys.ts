/**
 * API keys are saved per origin (scheme, host and port) and handed only to endpoints on
 * that origin. A workspace config that points an endpoint elsewhere therefore never
 * receives a key the user saved for another server.
 */
import type { SecretPort } from '../ports';
import { readSecret, storeSecret } from '../util/secretStorage';
import { originOf } from '../util/url';

const PREFIX = 'patchbay.apiKey:';

export class ApiKeyStore {
  constructor(
    private readonly secrets: SecretPort,
    /** Told about every key read, so loggers can redact it. */
    private readonly onKeyRead: (key: string) => void = () => undefined,
  ) {}

  async get(baseUrl: string): Promise<string | undefined> {
    const key = await readSecret(this.secrets, PREFIX + originOf(baseUrl), `the API key for ${originOf(baseUrl)}`);
    if (key) this.onKeyRead(key);
    return key || undefined;
  }

  async set(baseUrl: string, key: string): Promise<void> {
    this.onKeyRead(key);
    await storeSecret(this.secrets, PREFIX + originOf(baseUrl), key, `the API key for ${originOf(baseUrl)}`);
  }

  async delete(baseUrl: string): Promise<void> {
    await this.secrets.delete(PREFIX + originOf(baseUrl));
  }
}
