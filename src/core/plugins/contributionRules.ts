/**
 * What each kind of contribution must look like and whose its name is: the whole chat's (a
 * provider type, a provider id) or only its plugin's. Checked when a plugin registers it, so a
 * broken definition fails its plugin with a message naming the field, not a chat later.
 */
import { batchedStreamOf } from './isolation/batchedStreamFilter';
import type {
  ActionDefinition,
  CommandDefinition,
  ContextProviderDefinition,
  FilterDefinition,
  PromptTemplateDefinition,
  TemplateLoaderDefinition,
  ProviderTypeDefinition,
  StandaloneProviderDefinition,
  ToolDefinition,
} from '../api';

export interface KindMap {
  providerType: ProviderTypeDefinition;
  provider: StandaloneProviderDefinition;
  tool: ToolDefinition;
  filter: FilterDefinition;
  action: ActionDefinition;
  command: CommandDefinition;
  promptTemplate: PromptTemplateDefinition;
  contextProvider: ContextProviderDefinition;
  templateLoader: TemplateLoaderDefinition;
}

export type ContributionKind = keyof KindMap;

export interface KindRules<T> {
  label: string;
  nameOf(definition: T): string;
  /** 'chat': the name is shared by the whole chat; 'plugin': only unique within its plugin. */
  scope: 'chat' | 'plugin';
  validate(definition: T, what: string): void;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const SLASH_NAME = /^[a-zA-Z0-9_-]{1,40}$/;

export const RULES: { [K in ContributionKind]: KindRules<KindMap[K]> } = {
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
      // An isolated plugin's stream filter takes its pieces in batches (isolation/batchedStreamFilter.ts).
      if (stages.length === 0 && !batchedStreamOf(d)) throw new Error(`${what}: needs at least one of "inlet", "stream", "outlet"`);
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
  contextProvider: {
    label: 'context provider',
    nameOf: (d) => d.name,
    scope: 'plugin',
    validate: (d, what) => {
      if (!SLASH_NAME.test(d.name)) throw new Error(`${what}: "name" must match ${SLASH_NAME}`);
      requireString(d.description, what, 'description');
      if (d.queryHint !== undefined) requireString(d.queryHint, what, 'queryHint');
      requireFunction(d.resolve, what, 'resolve');
      if (d.complete !== undefined) requireFunction(d.complete, what, 'complete');
      if (d.describeResolve !== undefined) requireFunction(d.describeResolve, what, 'describeResolve');
    },
  },
  templateLoader: {
    label: 'template loader',
    nameOf: (d) => d.prefix,
    // A prefix is typed in the chat: two plugins cannot both answer `/gh:`.
    scope: 'chat',
    validate: (d, what) => {
      if (!SLASH_NAME.test(d.prefix)) throw new Error(`${what}: "prefix" must match ${SLASH_NAME}`);
      requireString(d.description, what, 'description');
      requireFunction(d.load, what, 'load');
      if (d.list !== undefined) requireFunction(d.list, what, 'list');
    },
  },
};

export function requireObjectSchema(value: unknown, what: string): void {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'object') {
    throw new Error(`${what}: "parameters" must be a JSON Schema with "type": "object"`);
  }
}

export function requireString(value: unknown, what: string, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what}: "${field}" must be a non-empty string`);
}

function requireFunction(value: unknown, what: string, field: string): void {
  if (typeof value !== 'function') throw new Error(`${what}: "${field}" must be a function`);
}
