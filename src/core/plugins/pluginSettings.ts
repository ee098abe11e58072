/**
 * A plugin's settings ("valves"): the defaults of its JSON Schema, overlaid with the values
 * from config.yaml, overlaid with its secret fields from secret storage, then checked
 * against the schema. Every problem names the field and the rule it breaks.
 */
import type { PluginConfigProperty, PluginConfigSchema } from '../api';
import { readablePath, ruleMessage, validatorFor } from '../util/schemaValidator';

export interface SettingProblem {
  /** The setting's name (or path inside it); empty for the whole object. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ResolvedSettings {
  values: Record<string, unknown>;
  problems: SettingProblem[];
}

export function secretFields(schema: PluginConfigSchema | undefined): string[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([, property]) => property.secret === true)
    .map(([name]) => name);
}

export function resolvePluginSettings(
  schema: PluginConfigSchema | undefined,
  fileValues: Record<string, unknown> | undefined,
  secretValues: Record<string, string>,
): ResolvedSettings {
  const problems: SettingProblem[] = [];
  if (!schema) {
    for (const field of Object.keys(fileValues ?? {})) {
      problems.push({ field, message: `the plugin declares no settings, so "${field}" is ignored`, severity: 'warning' });
    }
    return { values: {}, problems };
  }
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.default !== undefined) values[name] = structuredClone(property.default);
  }
  const secrets = new Set(secretFields(schema));
  for (const [name, value] of Object.entries(fileValues ?? {})) {
    if (secrets.has(name)) {
      problems.push({ field: name, message: `"${name}" is a secret: it must not be written in a file; set it with "Patchbay: Configure Plugin"`, severity: 'error' });
      continue;
    }
    if (!Object.hasOwn(schema.properties, name) && schema['additionalProperties'] === false) {
      problems.push({ field: name, message: `unknown setting "${name}" (known: ${Object.keys(schema.properties).join(', ') || 'none'})`, severity: 'error' });
      continue;
    }
    values[name] = value;
  }
  for (const name of secrets) {
    const secret = secretValues[name];
    if (secret !== undefined) values[name] = secret;
  }
  // With nothing from the user, only a required setting without a default can be wrong: the
  // defaults are the plugin's own. Checking that by hand spares the host loading the schema
  // validator (tens of milliseconds, the first time) for every plugin nobody configured.
  if (Object.keys(fileValues ?? {}).length === 0 && Object.keys(secretValues).length === 0 && onlyPlainKeywords(schema)) {
    for (const name of schema.required ?? []) {
      if (values[name] === undefined) problems.push({ field: name, message: requiredMessage(name, secrets.has(name)), severity: 'error' });
    }
    return { values, problems };
  }
  const validate = validatorFor(schema);
  if (!validate(values)) {
    for (const error of validate.errors ?? []) {
      const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
      const field = missing ?? readablePath(error.instancePath);
      const message = missing !== undefined ? requiredMessage(missing, secrets.has(missing)) : `"${field}" ${ruleMessage(error)}`;
      problems.push({ field, message, severity: 'error' });
    }
  }
  return { values, problems };
}

function requiredMessage(field: string, secret: boolean): string {
  return `"${field}" is required${secret ? ' (a secret: set it with "Patchbay: Configure Plugin")' : ''}`;
}

/** A settings schema whose whole-object rules are only the properties and which are required. */
function onlyPlainKeywords(schema: PluginConfigSchema): boolean {
  return Object.keys(schema).every((keyword) => ['type', 'properties', 'required', 'additionalProperties', 'title', 'description', '$schema'].includes(keyword));
}

/** Checks one value for one setting, as the Configure Plugin form does before saving it. */
export function checkSettingValue(schema: PluginConfigSchema, field: string, value: unknown): string | undefined {
  const property = schema.properties[field];
  if (!property) return `unknown setting "${field}"`;
  const validate = validatorFor(propertySchema(property));
  if (validate(value)) return undefined;
  const error = validate.errors?.[0];
  return error ? `"${field}" ${ruleMessage(error)}` : `"${field}" is invalid`;
}

/** The value a user typed into a text box, as the setting's type. */
export function parseSettingInput(property: PluginConfigProperty, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  switch (property.type) {
    case 'number':
    case 'integer': {
      const number = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(number)) return { error: 'enter a number' };
      if (property.type === 'integer' && !Number.isInteger(number)) return { error: 'enter a whole number' };
      return { value: number };
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { value: trimmed === 'true' };
      return { error: 'enter true or false' };
    case 'array':
    case 'object':
      try {
        return { value: JSON.parse(trimmed) };
      } catch {
        return { error: `enter JSON (${property.type === 'array' ? 'e.g. ["a", "b"]' : 'e.g. {"key": "value"}'})` };
      }
    case 'string':
    case undefined:
    default:
      return { value: text };
  }
}

function propertySchema(property: PluginConfigProperty): object {
  const { secret: _secret, description: _description, ...rest } = property;
  return rest;
}
