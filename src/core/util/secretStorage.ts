/**
 * Reading and saving a secret in the OS secret store, with a clear error when the store is
 * not there. Secrets go nowhere else.
 */
import { describeError, PatchbayError } from '../errors';
import type { SecretPort } from '../ports';

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
