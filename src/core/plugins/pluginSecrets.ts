/**
 * Plugin secrets (settings marked `secret: true`, an OpenAPI plugin's credential, what
 * `context.secrets.get` reads) are bound to the plugin they were entered for: its source
 * (bundled and global plugins by id, a workspace plugin by its location too) and, for an
 * HTTP credential, the origin of the API it was entered for — as the model servers' keys
 * are. A workspace plugin or spec that takes the id of one of the user's plugins therefore
 * never receives the user's secret, and a spec whose servers move never takes its key along.
 *
 * Earlier versions saved secrets by plugin id alone. Such a secret is moved to the bound
 * name the first time a bundled or global plugin of that id reads it; it is never handed
 * to a workspace plugin.
 */
import type { SecretPort } from '../ports';
import { readSecret, storeSecret } from '../util/secretStorage';
import type { PluginSource } from './discovery';

export interface SecretOwner {
  id: string;
  source: PluginSource;
  location: string;
  /** For an HTTP credential: the scheme://host:port of the API it is sent to. */
  credentialOrigin?: string;
}

const LEGACY_PREFIX = 'patchbay.pluginSecret:';
const PREFIX = 'patchbay.boundPluginSecret:';

/** The secret storage name of one secret of one plugin. */
export function pluginSecretName(owner: SecretOwner, key: string): string {
  const scope = owner.source === 'workspace' ? `workspace:${owner.location}` : owner.source;
  const origin = owner.credentialOrigin !== undefined ? ` @ ${owner.credentialOrigin}` : '';
  return `${PREFIX}${JSON.stringify([scope, owner.id + origin, key])}`;
}

export class PluginSecrets {
  constructor(
    private readonly secrets: SecretPort,
    /** Told about every secret read or saved, so everything shown or logged can redact it. */
    private readonly onSecret: (value: string) => void = () => undefined,
  ) {}

  async get(owner: SecretOwner, key: string): Promise<string | undefined> {
    const name = pluginSecretName(owner, key);
    let value = await readSecret(this.secrets, name, `the secret "${key}" of plugin "${owner.id}"`);
    if (!value && owner.source !== 'workspace') value = await this.migrateLegacy(owner, key, name);
    if (value) this.onSecret(value);
    return value || undefined;
  }

  async set(owner: SecretOwner, key: string, value: string | undefined): Promise<void> {
    const name = pluginSecretName(owner, key);
    if (value === undefined || value === '') {
      await this.secrets.delete(name);
      return;
    }
    this.onSecret(value);
    await storeSecret(this.secrets, name, value, `the secret "${key}" of plugin "${owner.id}"`);
  }

  private async migrateLegacy(owner: SecretOwner, key: string, name: string): Promise<string | undefined> {
    const legacyName = `${LEGACY_PREFIX}${owner.id}:${key}`;
    const legacy = await readSecret(this.secrets, legacyName, `the secret "${key}" of plugin "${owner.id}"`);
    if (!legacy) return undefined;
    await storeSecret(this.secrets, name, legacy, `the secret "${key}" of plugin "${owner.id}"`);
    await this.secrets.delete(legacyName);
    return legacy;
  }
}
