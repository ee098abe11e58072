/**
 * JSON Schema checking shared by config files, plugin settings and tool arguments. Compiled
 * validators are cached by schema, since a plugin's schema is checked on every reload.
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv as loadAjv } from './lazyModules';

let instance: Ajv | undefined;

function validatorFactory(): Ajv {
  if (!instance) {
    const AjvClass = loadAjv();
    // Schemas are not checked against the JSON Schema meta-schema: compiling that costs more
    // than all of Patchbay's own schemas, and a broken plugin schema fails when compiled anyway.
    instance = new AjvClass({ allErrors: true, strict: false, verbose: true, validateSchema: false });
    // Patchbay's own annotation on plugin settings: the value lives in secret storage.
    instance.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  }
  return instance;
}

const cache = new Map<string, ValidateFunction>();

export function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = validatorFactory().compile(schema);
    cache.set(key, validate);
  }
  return validate;
}

let toolInstance: Ajv | undefined;
const toolCache = new Map<string, ValidateFunction>();

/**
 * The validator for a tool's arguments: JSON Schema draft-07 (what OpenAPI schemas are
 * converted to, see openapi/toolSchema.ts), with `unevaluatedProperties` understood. Formats
 * are annotations here (a tool's API checks them), so an unknown one is not a reason to
 * complain. Throws when the schema cannot be compiled: such a tool's arguments cannot be
 * checked, and it is not called.
 */
export function toolArgumentsValidator(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = toolCache.get(key);
  if (!validate) {
    const AjvClass = loadAjv();
    toolInstance ??= new AjvClass({ allErrors: true, strict: false, validateSchema: false, validateFormats: false, unevaluated: true, logger: false });
    validate = toolInstance.compile(schema);
    toolCache.set(key, validate);
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
