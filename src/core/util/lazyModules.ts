/**
 * yaml and ajv are large: evaluating them when the extension loads costs tens of
 * milliseconds of VS Code's startup. They are loaded the first time something needs them
 * (reading a config file, checking a schema), which is after the chat has opened. The
 * extension's build puts them in files of their own (see esbuild.mjs), so they are not even
 * parsed before then.
 */
import type AjvConstructor from 'ajv';
import type * as YamlModule from 'yaml';

export function yaml(): typeof YamlModule {
  return require('yaml') as typeof YamlModule;
}

export function ajv(): typeof AjvConstructor {
  return (require('ajv') as { default: typeof AjvConstructor }).default;
}
