/**
 * An endpoint's `headers:` from config.yaml. A value may name a secret, `${secret:name}`,
 * saved in secret storage for the endpoint's origin (scheme, host and port) — never in a
 * file. As with API keys, an endpoint only ever gets the secrets saved for its own origin,
 * so a workspace config pointing an endpoint elsewhere cannot collect the user's secrets.
 */
import { PatchbayError } from '../errors';
import type { SecretPort } from '../ports';
import { readSecret, storeSecret } from '../util/secretStorage';
import { originOf } from '../util/url';

const PREFIX = 'patchbay.headerSecret:';
const SECRET_REFERENCE = /\$\{secret:([A-Za-z0-9._-]+)\}/g;

export class HeaderSecretStore {
  constructor(
    private readonly secrets: SecretPort,
    /** Told about every secret read or saved, so loggers can redact it. */
    private readonly onSecretRead: (secret: string) => void = () => undefined,
  ) {}

  async get(baseUrl: string, name: string): Promise<string | undefined> {
    const value = await readSecret(this.secrets, keyOf(baseUrl, name), describe(baseUrl, name));
    if (value) this.onSecretRead(value);
    return value || undefined;
  }

  async set(baseUrl: string, name: string, value: string): Promise<void> {
    this.onSecretRead(value);
    await storeSecret(this.secrets, keyOf(baseUrl, name), value, describe(baseUrl, name));
  }

  async delete(baseUrl: string, name: string): Promise<void> {
    await this.secrets.delete(keyOf(baseUrl, name));
  }
}

/** The secret names an endpoint's headers refer to. */
export function secretReferences(headers: Readonly<Record<string, string>>): string[] {
  return [...new Set(Object.values(headers).flatMap((value) => [...value.matchAll(SECRET_REFERENCE)].map((match) => match[1]!)))];
}

/** The headers with each `${secret:name}` filled in from the endpoint origin's secrets; a missing one is an error naming it. */
export async function resolveHeaders(
  endpoint: { id: string; baseUrl: string; headers?: Readonly<Record<string, string>> | undefined },
  store: HeaderSecretStore,
): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  for (const [header, value] of Object.entries(endpoint.headers ?? {})) {
    let filled = value;
    for (const name of new Set([...value.matchAll(SECRET_REFERENCE)].map((match) => match[1]!))) {
      const secret = await store.get(endpoint.baseUrl, name);
      if (secret === undefined) {
        throw new PatchbayError('auth', `The header "${header}" of endpoint "${endpoint.id}" uses the secret "${name}", which is not set for ${originOf(endpoint.baseUrl)}.`, {
          hint: `Run "Patchbay: Set Endpoint Header Secret", pick "${endpoint.id}" and enter the value of "${name}". Secrets are kept per server address, never in a file.`,
          actions: ['openConfig'],
        });
      }
      filled = filled.replaceAll(`\${secret:${name}}`, secret);
    }
    resolved[header] = filled;
  }
  return resolved;
}

function keyOf(baseUrl: string, name: string): string {
  return `${PREFIX}${originOf(baseUrl)}:${name}`;
}

function describe(baseUrl: string, name: string): string {
  return `the header secret "${name}" for ${originOf(baseUrl)}`;
}
