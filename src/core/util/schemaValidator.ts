/**
 * JSON Schema checking shared by config files and plugin settings. Compiled validators are
 * cached by schema, since a plugin's schema is checked on every reload.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
// Patchbay's own annotation on plugin settings: the value lives in secret storage.
ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });

const cache = new Map<string, ValidateFunction>();

export function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(key, validate);
  }
  return validate;
}

/** "must be <= 10 (maximum)": the rule's words and its keyword. */
export function ruleMessage(error: ErrorObject): string {
  return `${error.message ?? 'is invalid'} (${error.keyword})`;
}

/** `/a/0/b` -> `a[0].b` */
export function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment.replaceAll('~1', '/').replaceAll('~0', '~')}`))
    .join('')
    .replace(/^\./, '');
}

export type { ErrorObject };
