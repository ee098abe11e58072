/**
 * Reads config.yaml text into a checked PatchbayConfig, with every problem located at the
 * line and column of the offending text so the editor can underline it.
 */
import type { Document, Node } from 'yaml';
import { yaml } from '../util/lazyModules';
import { readablePath, validatorFor, type ErrorObject } from '../util/schemaValidator';
import schema from './config.schema.json';
import type { ConfigProblem, PatchbayConfig, TextRange } from './configTypes';

export interface ParsedConfig {
  /** Undefined when the file has errors: the caller keeps the last good config. */
  config: PatchbayConfig | undefined;
  problems: ConfigProblem[];
  /** Where the value at a path (e.g. `['plugins', 'config', 'x', 'limit']`) is written, if it is. */
  locate(path: readonly (string | number)[]): TextRange | undefined;
}

export function parseConfig(text: string): ParsedConfig {
  const { LineCounter, parseDocument } = yaml();
  const validate = validatorFor(schema);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (start: number, end: number, message: string, severity: ConfigProblem['severity'] = 'error'): ConfigProblem => {
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.max(start, end));
    return { severity, message, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  };

  const locate = (path: readonly (string | number)[]): TextRange | undefined => {
    const node = (path.length === 0 ? document.contents : document.getIn(path, true)) as Node | null | undefined;
    if (!node?.range) return undefined;
    const { severity: _severity, message: _message, ...range } = at(node.range[0], node.range[1], '');
    return range;
  };

  const syntaxProblems = [...document.errors, ...document.warnings].map((issue) =>
    at(issue.pos[0], issue.pos[1], issue.message.split('\n')[0] ?? issue.message, document.errors.includes(issue) ? 'error' : 'warning'),
  );
  if (document.errors.length > 0) return { config: undefined, problems: syntaxProblems, locate };

  const value: unknown = document.toJS() ?? {};
  const problems = [...syntaxProblems];
  if (!validate(value)) {
    for (const error of simplify(validate.errors ?? [])) {
      const [start, end] = rangeOf(document, error);
      problems.push(at(start, end, messageFor(error)));
    }
  }
  problems.push(...duplicateIds(document, value, at));
  const hasErrors = problems.some((problem) => problem.severity === 'error');
  return { config: hasErrors ? undefined : (value as PatchbayConfig), problems, locate };
}

/** `anyOf`/`oneOf` produce one error per branch; one message per location reads better. */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageFor(error: ErrorObject): string {
  const where = readablePath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `${where ? `${where}: ` : ''}unknown key "${key}"${allowed.length ? ` (expected one of: ${allowed.join(', ')})` : ''}`;
    }
    case 'required':
      return `${where || 'config'}: missing "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'pattern':
      if (error.instancePath.endsWith('/baseUrl')) return `${where}: must be an http:// or https:// URL`;
      if (error.instancePath.endsWith('/id')) return `${where}: use letters, digits, ".", "_" or "-" (at most 64)`;
      return `${where}: ${error.message ?? 'is invalid'}`;
    case 'type':
      return `${where || 'config'}: must be ${article((error.params as { type: string }).type)}`;
    default:
      return `${where || 'config'}: ${error.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function pathSegments(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.replaceAll('~1', '/').replaceAll('~0', '~')));
}

function rangeOf(document: Document, error: ErrorObject): [number, number] {
  const segments = pathSegments(error.instancePath);
  const node = (segments.length === 0 ? document.contents : document.getIn(segments, true)) as Node | null | undefined;
  const { isMap, isPair, isScalar } = yaml();
  if (error.keyword === 'additionalProperties' && isMap(node)) {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    const keyNode = pair?.key as Node | undefined;
    if (keyNode?.range) return [keyNode.range[0], keyNode.range[1]];
  }
  if (error.keyword === 'required' && isMap(node) && node.range) {
    // Underline the first key of the incomplete entry rather than the whole block.
    const firstKey = (node.items[0]?.key as Node | undefined)?.range;
    return firstKey ? [firstKey[0], firstKey[1]] : [node.range[0], node.range[1]];
  }
  const range = node?.range;
  return range ? [range[0], range[1]] : [0, 0];
}

function duplicateIds(
  document: Document,
  value: unknown,
  at: (start: number, end: number, message: string) => ConfigProblem,
): ConfigProblem[] {
  const providers = (value as PatchbayConfig).providers;
  if (!Array.isArray(providers)) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  providers.forEach((provider, index) => {
    const id = (provider as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) {
      const node = document.getIn(['providers', index, 'id'], true) as Node | undefined;
      const range = node?.range ?? [0, 0];
      problems.push(at(range[0], range[1], `providers[${index}].id: "${id}" is used by an earlier provider`));
    }
    seen.add(id);
  });
  return problems;
}
