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
  ActionDefinition,
  CommandDefinition,
  Disposable,
  FilterDefinition,
  PromptTemplateDefinition,
  ProviderTypeDefinition,
  StandaloneProviderDefinition,
  ToolDefinition,
} from '../api';
import { Emitter } from '../util/emitter';

export interface Owned<T> {
  owner: string;
  definition: T;
}

interface KindMap {
  providerType: ProviderTypeDefinition;
  provider: StandaloneProviderDefinition;
  tool: ToolDefinition;
  filter: FilterDefinition;
  action: ActionDefinition;
  command: CommandDefinition;
  promptTemplate: PromptTemplateDefinition;
}

export type ContributionKind = keyof KindMap;

interface KindRules<T> {
  label: string;
  nameOf(definition: T): string;
  /** 'chat': the name is shared by the whole chat; 'plugin': only unique within its plugin. */
  scope: 'chat' | 'plugin';
  validate(definition: T, what: string): void;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const SLASH_NAME = /^[a-zA-Z0-9_-]{1,40}$/;

const RULES: { [K in ContributionKind]: KindRules<KindMap[K]> } = {
  providerType: {
    label: 'provider type',
    nameOf: (d) => d.type,
    scope: 'chat',
    validate: (d, what) => {
      requireString(d.displayName, what, 'displayName');
      requireFunction(d.create, what, 'create');
    },
  },
  provider: {
    label: 'provider',
    nameOf: (d) => d.id,
    scope: 'chat',
    validate: (d, what) => {
      requireString(d.label, what, 'label');
      requireFunction(d.listModels, what, 'listModels');
      requireFunction(d.chat, what, 'chat');
    },
  },
  tool: {
    label: 'tool',
    nameOf: (d) => d.name,
    scope: 'plugin',
    validate: (d, what) => {
      if (!TOOL_NAME.test(d.name)) throw new Error(`${what}: "name" must match ${TOOL_NAME} (letters, digits, _ and -, at most 64)`);
      requireString(d.description, what, 'description');
      // A getter is read when the tool is offered (and checked then): building the schemas of
      // a thousand-operation API up front would cost seconds for nothing.
      const lazy = typeof Object.getOwnPropertyDescriptor(d, 'parameters')?.get === 'function';
      if (!lazy) requireObjectSchema(d.parameters, what);
      requireFunction(d.invoke, what, 'invoke');
      if (d.describeCall !== undefined) requireFunction(d.describeCall, what, 'describeCall');
    },
  },
  filter: {
    label: 'filter',
    nameOf: (d) => d.id,
    scope: 'plugin',
    validate: (d, what) => {
      if (d.priority !== undefined && (typeof d.priority !== 'number' || !Number.isFinite(d.priority))) throw new Error(`${what}: "priority" must be a number`);
      const stages = (['inlet', 'stream', 'outlet'] as const).filter((stage) => d[stage] !== undefined);
      if (stages.length === 0) throw new Error(`${what}: needs at least one of "inlet", "stream", "outlet"`);
      for (const stage of stages) requireFunction(d[stage], what, stage);
    },
  },
  action: {
    label: 'action',
    nameOf: (d) => d.id,
    scope: 'plugin',
    validate: (d, what) => {
      requireString(d.label, what, 'label');
      requireFunction(d.run, what, 'run');
    },
  },
  command: {
    label: 'command',
    nameOf: (d) => d.id,
    scope: 'plugin',
    validate: (d, what) => {
      requireString(d.title, what, 'title');
      requireFunction(d.run, what, 'run');
    },
  },
  promptTemplate: {
    label: 'prompt template',
    nameOf: (d) => d.name,
    scope: 'plugin',
    validate: (d, what) => {
      if (!SLASH_NAME.test(d.name)) throw new Error(`${what}: "name" must match ${SLASH_NAME}`);
      requireString(d.description, what, 'description');
      if (typeof d.template !== 'string' && typeof d.template !== 'function') throw new Error(`${what}: "template" must be a string or a function`);
    },
  },
};

/** A registration and the name it is listed under when another plugin uses the same name. */
export interface Listed<T> extends Owned<T> {
  /** The plain name, or `plugin.name` when two plugins use the same one. */
  listedName: string;
}

export class ContributionRegistry {
  private readonly changed = new Emitter<ContributionKind>();
  /** Fires with the kind of contribution that was added or removed. */
  readonly onDidChange = this.changed.event;
  private readonly tables = new Map<ContributionKind, Map<string, Owned<unknown>>>();
  /** Broken tools by `owner\0name`: what is wrong with them. */
  private readonly toolProblems = new Map<string, string>();

  register<K extends ContributionKind>(kind: K, owner: string, definition: KindMap[K]): Disposable {
    const rules = RULES[kind] as KindRules<KindMap[K]>;
    if (typeof definition !== 'object' || definition === null) throw new Error(`a ${rules.label} must be an object`);
    const name = rules.nameOf(definition);
    requireString(name, rules.label, kind === 'providerType' ? 'type' : kind === 'tool' || kind === 'promptTemplate' ? 'name' : 'id');
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
    const entry: Owned<KindMap[K]> = { owner, definition };
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

/** Sorted by name; a name two plugins share is listed as `plugin<separator>name` for both. */
function listed<T>(items: Owned<T>[], nameOf: (definition: T) => string, separator: string): Listed<T>[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(nameOf(item.definition), (counts.get(nameOf(item.definition)) ?? 0) + 1);
  return items
    .map((item) => {
      const name = nameOf(item.definition);
      return { ...item, listedName: (counts.get(name) ?? 0) > 1 ? `${item.owner}${separator}${name}` : name };
    })
    .sort((a, b) => a.listedName.localeCompare(b.listedName));
}

const MAX_TOOL_NAME = 64;

/**
 * Tools sorted by listed name. A name two plugins share becomes `plugin_name`, with the
 * plugin id's other characters as `_`; when that is too long, or taken (by a tool's own
 * name or another qualified one), its end becomes a hash of plugin and name.
 */
function listedTools(items: Owned<ToolDefinition>[]): Listed<ToolDefinition>[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.definition.name, (counts.get(item.definition.name) ?? 0) + 1);
  const taken = new Set([...counts].filter(([, count]) => count === 1).map(([name]) => name));
  const ordered = [...items].sort((a, b) => a.owner.localeCompare(b.owner) || a.definition.name.localeCompare(b.definition.name));
  const result = ordered.map((item) => {
    const name = item.definition.name;
    if (counts.get(name) === 1) return { ...item, listedName: name };
    const qualified = `${item.owner.replace(/[^a-zA-Z0-9_-]/g, '_')}_${name}`;
    const hash = nameHash(`${item.owner}\u0000${name}`);
    let listedName = qualified.length <= MAX_TOOL_NAME ? qualified : `${qualified.slice(0, MAX_TOOL_NAME - 9)}_${hash.slice(0, 8)}`;
    for (let length = 8; taken.has(listedName); length += 4) listedName = `${qualified.slice(0, MAX_TOOL_NAME - length - 1)}_${hash.slice(0, length)}`;
    taken.add(listedName);
    return { ...item, listedName };
  });
  return result.sort((a, b) => a.listedName.localeCompare(b.listedName));
}

/**
 * 32 hex digits from FNV-1a over the text, four times with different offsets: stable across
 * runs, with no Node module (the webview's type check reads this file too).
 */
function nameHash(text: string): string {
  let out = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x5bd1e995, 0x27d4eb2f]) {
    let hash = seed;
    for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out;
}

export function requireObjectSchema(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'object') {
    throw new Error(`${what}: "parameters" must be a JSON Schema with "type": "object"`);
  }
}

function requireString(value: unknown, what: string, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what}: "${field}" must be a non-empty string`);
}

function requireFunction(value: unknown, what: string, field: string): void {
  if (typeof value !== 'function') throw new Error(`${what}: "${field}" must be a function`);
}
