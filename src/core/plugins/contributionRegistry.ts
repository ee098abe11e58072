/**
 * Everything plugins register, with the plugin that registered it. The core resolves name
 * clashes here: names the whole chat shares (a provider type, a provider id) belong to the
 * first plugin that takes them and a second registration fails naming both plugins; names
 * only a plugin's own code refers to (a filter's or action's id) need only be unique within
 * that plugin; tool names and slash commands that two plugins share are qualified with the
 * plugin id when listed (a qualified tool name is still a valid one: at most 64 characters of
 * letters, digits, _ and -, and unique). A tool found broken when called (its schema cannot
 * be compiled) is no longer offered and is listed with its error. All of one plugin's
 * registrations can be dropped when it unloads.
 */
import type {
  ContextProviderDefinition,
  Disposable,
  FilterDefinition,
  PromptTemplateDefinition,
  ProviderTypeDefinition,
  StandaloneProviderDefinition,
  ToolDefinition,
} from '../api';
import { Emitter } from '../util/emitter';
import { requireString, RULES, type ContributionKind, type KindMap, type KindRules } from './contributionRules';
import { listed, listedTools, type Listed, type Owned } from './listedContributions';

export { requireObjectSchema, type ContributionKind } from './contributionRules';
export type { Listed, Owned } from './listedContributions';

export class ContributionRegistry {
  private readonly changed = new Emitter<ContributionKind>();
  /** Fires with the kind of contribution that was added or removed. */
  readonly onDidChange = this.changed.event;
  private readonly tables = new Map<ContributionKind, Map<string, Owned<unknown>>>();
  /** Broken tools by `owner\0name`: what is wrong with them. */
  private readonly toolProblems = new Map<string, string>();

  register<K extends ContributionKind>(kind: K, owner: string, definition: KindMap[K], options: { alwaysQualified?: boolean } = {}): Disposable {
    const rules = RULES[kind] as KindRules<KindMap[K]>;
    if (typeof definition !== 'object' || definition === null) throw new Error(`a ${rules.label} must be an object`);
    const name = rules.nameOf(definition);
    requireString(name, rules.label, kind === 'providerType' ? 'type' : kind === 'tool' || kind === 'promptTemplate' || kind === 'contextProvider' ? 'name' : kind === 'templateLoader' ? 'prefix' : 'id');
    const what = `${rules.label} "${name}"`;
    rules.validate(definition, what);
    const table = this.table(kind);
    const key = rules.scope === 'chat' ? name : `${owner}\u0000${name}`;
    const existing = table.get(key);
    if (existing) {
      throw new Error(
        rules.scope === 'chat'
          ? `${what} is already registered by plugin "${existing.owner}"`
          : `${what} is registered twice by this plugin`,
      );
    }
    const entry: Owned<KindMap[K]> = { owner, definition, ...(options.alwaysQualified ? { alwaysQualified: true } : {}) };
    table.set(key, entry);
    this.changed.fire(kind);
    return {
      dispose: () => {
        if (table.get(key) === entry) {
          table.delete(key);
          if (kind === 'tool') this.toolProblems.delete(key);
          this.changed.fire(kind);
        }
      },
    };
  }

  /** A tool turned out to be broken: it is not offered any more, and its plugin shows why. */
  reportToolProblem(owner: string, name: string, problem: string): void {
    const key = `${owner}\u0000${name}`;
    if (!this.table('tool').has(key) || this.toolProblems.get(key) === problem) return;
    this.toolProblems.set(key, problem);
    this.changed.fire('tool');
  }

  registerProviderType(owner: string, definition: ProviderTypeDefinition): Disposable {
    return this.register('providerType', owner, definition);
  }

  registerProvider(owner: string, definition: StandaloneProviderDefinition): Disposable {
    return this.register('provider', owner, definition);
  }

  all<K extends ContributionKind>(kind: K): Owned<KindMap[K]>[] {
    return [...this.table(kind).values()] as Owned<KindMap[K]>[];
  }

  providerType(type: string): Owned<ProviderTypeDefinition> | undefined {
    return this.table('providerType').get(type) as Owned<ProviderTypeDefinition> | undefined;
  }

  providerTypes(): Owned<ProviderTypeDefinition>[] {
    return this.all('providerType');
  }

  standaloneProviders(): Owned<StandaloneProviderDefinition>[] {
    return this.all('provider');
  }

  /** Filters in the order they run: priority, then plugin id, then filter id. */
  filters(): Owned<FilterDefinition>[] {
    return this.all('filter').sort(
      (a, b) => (a.definition.priority ?? 0) - (b.definition.priority ?? 0) || a.owner.localeCompare(b.owner) || a.definition.id.localeCompare(b.definition.id),
    );
  }

  tools(): Listed<ToolDefinition>[] {
    return listedTools(this.all('tool').filter((item) => !this.toolProblems.has(`${item.owner}\u0000${item.definition.name}`)));
  }

  promptTemplates(): Listed<PromptTemplateDefinition>[] {
    return listed(this.all('promptTemplate'), (d) => d.name, ':');
  }

  /** `@` mentions: a name two plugins share is listed as `plugin.name` for both. */
  contextProviders(): Listed<ContextProviderDefinition>[] {
    return listed(this.all('contextProvider'), (d) => d.name, '.');
  }

  /** Human-readable list of what one plugin registered, for the Plugins view and logs. */
  contributionsOf(owner: string): string[] {
    const lines: string[] = [];
    for (const kind of Object.keys(RULES) as ContributionKind[]) {
      for (const item of this.all(kind)) {
        if (item.owner !== owner) continue;
        const name = (RULES[kind] as KindRules<unknown>).nameOf(item.definition);
        const problem = kind === 'tool' ? this.toolProblems.get(`${owner}\u0000${name}`) : undefined;
        lines.push(`${RULES[kind].label} ${name}${problem ? ` — error: ${problem}` : ''}`);
      }
    }
    return lines;
  }

  removeAllOf(owner: string): void {
    for (const [kind, table] of this.tables) {
      let removed = false;
      for (const [key, item] of table) {
        if (item.owner === owner) {
          table.delete(key);
          if (kind === 'tool') this.toolProblems.delete(key);
          removed = true;
        }
      }
      if (removed) this.changed.fire(kind);
    }
  }

  private table(kind: ContributionKind): Map<string, Owned<unknown>> {
    let table = this.tables.get(kind);
    if (!table) {
      table = new Map();
      this.tables.set(kind, table);
    }
    return table;
  }
}
