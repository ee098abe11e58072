/**
 * API keys are saved per origin (scheme, host and port) and handed only to endpoints on
 * that origin. A workspace config that points an endpoint elsewhere therefore never
 * receives a key the user saved for another server.
 */
import { describeError, PatchbayError } from '../errors';
import type { SecretPort } from '../ports';
import { originOf } from '../util/url';

const PREFIX = 'patchbay.apiKey:';

const NO_KEYRING_HINT =
  'On Linux VS Code keeps secrets in the desktop keyring (GNOME Keyring, KWallet): make sure one is installed, running and unlocked, then try again. Patchbay never falls back to writing secrets in a file.';

/** Saves a secret, or says clearly that the OS secret store refused it (nothing is saved elsewhere). */
export async function storeSecret(secrets: SecretPort, name: string, value: string, what: string): Promise<void> {
  try {
    await secrets.store(name, value);
  } catch (error) {
    throw new PatchbayError('config', `Could not save ${what}: the operating system's secret store refused it (${describeError(error)}). It was not saved anywhere.`, {
      hint: NO_KEYRING_HINT,
      cause: error,
    });
  }
}

/** Reads a secret, or says clearly that the OS secret store cannot be read. */
export async function readSecret(secrets: SecretPort, name: string, what: string): Promise<string | undefined> {
  try {
    return await secrets.get(name);
  } catch (error) {
    throw new PatchbayError('config', `Could not read ${what}: the operating system's secret store is not available (${describeError(error)}).`, {
      hint: NO_KEYRING_HINT,
      cause: error,
    });
  }
}

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
