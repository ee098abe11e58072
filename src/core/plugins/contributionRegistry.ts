/**
 * Everything plugins register, with the plugin that registered it. The core resolves name
 * clashes here (first come keeps the name; the second registration fails with a message
 * naming both plugins) and can drop all of one plugin's registrations when it unloads.
 */
import type { Disposable, StandaloneProviderDefinition } from '../api/plugin';
import type { ProviderTypeDefinition } from '../api/providers';
import { Emitter } from '../util/emitter';

export interface Owned<T> {
  owner: string;
  definition: T;
}

export class ContributionRegistry {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly types = new Map<string, Owned<ProviderTypeDefinition>>();
  private readonly standalone = new Map<string, Owned<StandaloneProviderDefinition>>();

  registerProviderType(owner: string, definition: ProviderTypeDefinition): Disposable {
    requireString(definition?.type, 'provider type', 'type');
    requireString(definition.displayName, `provider type "${definition.type}"`, 'displayName');
    requireFunction(definition.create, `provider type "${definition.type}"`, 'create');
    return this.add(this.types, definition.type, 'provider type', owner, definition);
  }

  registerProvider(owner: string, definition: StandaloneProviderDefinition): Disposable {
    requireString(definition?.id, 'provider', 'id');
    const what = `provider "${definition.id}"`;
    requireString(definition.label, what, 'label');
    requireFunction(definition.listModels, what, 'listModels');
    requireFunction(definition.chat, what, 'chat');
    return this.add(this.standalone, definition.id, 'provider', owner, definition);
  }

  providerType(type: string): Owned<ProviderTypeDefinition> | undefined {
    return this.types.get(type);
  }

  providerTypes(): Owned<ProviderTypeDefinition>[] {
    return [...this.types.values()];
  }

  standaloneProviders(): Owned<StandaloneProviderDefinition>[] {
    return [...this.standalone.values()];
  }

  /** Human-readable list of what one plugin registered, for the Plugins view and logs. */
  contributionsOf(owner: string): string[] {
    return [
      ...[...this.types.values()].filter((item) => item.owner === owner).map((item) => `provider type ${item.definition.type}`),
      ...[...this.standalone.values()].filter((item) => item.owner === owner).map((item) => `provider ${item.definition.id}`),
    ];
  }

  removeAllOf(owner: string): void {
    let removed = false;
    for (const map of [this.types, this.standalone] as Map<string, Owned<unknown>>[]) {
      for (const [name, item] of map) {
        if (item.owner === owner) {
          map.delete(name);
          removed = true;
        }
      }
    }
    if (removed) this.changed.fire();
  }

  private add<T>(map: Map<string, Owned<T>>, name: string, kind: string, owner: string, definition: T): Disposable {
    const existing = map.get(name);
    if (existing) {
      throw new Error(`${kind} "${name}" is already registered by plugin "${existing.owner}"`);
    }
    const entry = { owner, definition };
    map.set(name, entry);
    this.changed.fire();
    return {
      dispose: () => {
        if (map.get(name) === entry) {
          map.delete(name);
          this.changed.fire();
        }
      },
    };
  }
}

function requireString(value: unknown, what: string, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what}: "${field}" must be a non-empty string`);
}

function requireFunction(value: unknown, what: string, field: string): void {
  if (typeof value !== 'function') throw new Error(`${what}: "${field}" must be a function`);
}
