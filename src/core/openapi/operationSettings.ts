/** An OpenAPI plugin's settings: which operations it offers, and the secrets its API needs. */
import type { PluginConfigProperty, PluginConfigSchema } from '../api';
import type { Operation } from './operationTypes';
import type { AuthRequirement } from './requestAuth';

/** `include` / `exclude` settings: tool names or operationIds, `*` as a wildcard. */
export function chooseOperations(operations: readonly Operation[], config: Readonly<Record<string, unknown>>, toolNames?: ReadonlyMap<Operation, string>): Operation[] {
  const include = stringList(config['include']);
  const exclude = stringList(config['exclude']);
  const matches = (patterns: string[], operation: Operation) =>
    patterns.some((pattern) => {
      const expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      const prefixed = toolNames?.get(operation);
      return expression.test(operation.toolName) || (prefixed !== undefined && expression.test(prefixed)) || (operation.operationId !== undefined && expression.test(operation.operationId));
    });
  return operations.filter((operation) => (include.length === 0 || matches(include, operation)) && !matches(exclude, operation));
}

export function settingsSchema(auth: Map<Operation, AuthRequirement>): PluginConfigSchema {
  const properties: Record<string, PluginConfigProperty> = {
    include: { type: 'array', items: { type: 'string' }, description: 'Offer only these operations (tool names or operationIds; * matches anything). Empty: all.', default: [] },
    exclude: { type: 'array', items: { type: 'string' }, description: 'Never offer these operations (tool names or operationIds; * matches anything).', default: [] },
  };
  for (const requirement of new Set([...auth.values()].map((item) => item.secretField))) {
    properties[requirement] = { type: 'string', secret: true, description: 'The API credential, kept in VS Code secret storage and sent only to the API\'s own address.' };
  }
  return { type: 'object', additionalProperties: false, properties };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
