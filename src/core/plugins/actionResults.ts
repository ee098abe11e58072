/**
 * What an action or command returned, checked before anything is done with it: a plugin's
 * result (from an isolated plugin, whatever its worker sent) is data of unknown shape. A result
 * Patchbay cannot use is refused whole, with an error naming the field and why, so nothing is
 * half done.
 */
import type { ActionResult } from '../api';
import { PatchbayError } from '../errors';

/** The longest text a result may carry: as much as a question may hold. */
export const ACTION_TEXT_LIMIT = 1_000_000;
/** A context chip holds at most what an added file does. */
export const ACTION_CONTEXT_LIMIT = 100_000;
const NOTIFY_LIMIT = 10_000;
const TITLE_LIMIT = 200;
/** VS Code language ids: `python`, `typescriptreact`, `shellscript`, `objective-c`... */
const LANGUAGE_ID = /^[A-Za-z0-9][\w.+#-]{0,63}$/;

const FIELDS: readonly (keyof ActionResult)[] = ['notify', 'replaceMessage', 'appendToMessage', 'insertText', 'openDocument', 'addContext', 'followUp'];

export interface ResultSource {
  /** `action "Count"` or `command "Hello"`, for messages. */
  what: string;
  pluginId: string;
  /** Whether the result may change a message (an action ran on an answer; a command did not). */
  onMessage: boolean;
}

/** The result with only the fields the API declares, each of its type and size; throws a PatchbayError naming the fault. */
export function checkActionResult(value: unknown, source: ResultSource): ActionResult {
  const refuse = (why: string): never => {
    throw new PatchbayError('plugin', `The ${source.what} of plugin "${source.pluginId}" returned a result Patchbay cannot use: ${why}`, { actions: ['showLogs'] });
  };
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return refuse(`it is ${describeValue(value)}, not an object like { notify: "…" }.`);
  const raw = value as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => raw[key] !== undefined && !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) return refuse(`${quoted(unknown)} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of an action result (known: ${FIELDS.join(', ')}).`);

  const text = (field: string, item: unknown, limit: number, nonEmpty = false): string => {
    if (typeof item !== 'string') return refuse(`"${field}" must be text, not ${describeValue(item)}.`);
    if (nonEmpty && item.trim() === '') return refuse(`"${field}" is empty.`);
    if (item.length > limit) return refuse(`"${field}" is ${digits(item.length)} characters long; at most ${digits(limit)} are accepted.`);
    return item;
  };
  const record = (field: string, item: unknown, known: readonly string[]): Record<string, unknown> => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return refuse(`"${field}" must be an object, not ${describeValue(item)}.`);
    const fields = item as Record<string, unknown>;
    const extra = Object.keys(fields).filter((key) => fields[key] !== undefined && !known.includes(key));
    if (extra.length > 0) return refuse(`"${field}" has ${quoted(extra.map((key) => `${field}.${key}`))}, which it does not know (known: ${known.join(', ')}).`);
    return fields;
  };

  const result: ActionResult = {};
  if (raw.notify !== undefined) result.notify = text('notify', raw.notify, NOTIFY_LIMIT);
  if (raw.replaceMessage !== undefined && raw.appendToMessage !== undefined) return refuse('it has both "replaceMessage" and "appendToMessage"; return one of them.');
  for (const field of ['replaceMessage', 'appendToMessage'] as const) {
    if (raw[field] === undefined) continue;
    if (!source.onMessage) return refuse(`"${field}" needs a message to change, and a command runs on none (an action on an answer does).`);
    result[field] = text(field, raw[field], ACTION_TEXT_LIMIT);
  }
  if (raw.insertText !== undefined) result.insertText = text('insertText', raw.insertText, ACTION_TEXT_LIMIT);
  if (raw.openDocument !== undefined) {
    const document = record('openDocument', raw.openDocument, ['content', 'language']);
    const content = text('openDocument.content', document.content, ACTION_TEXT_LIMIT);
    if (document.language === undefined) result.openDocument = { content };
    else {
      const language = text('openDocument.language', document.language, 64);
      if (!LANGUAGE_ID.test(language)) return refuse(`"openDocument.language" is "${language}", which is not a language id (like "python" or "markdown").`);
      result.openDocument = { content, language };
    }
  }
  if (raw.addContext !== undefined) {
    const chip = record('addContext', raw.addContext, ['title', 'content']);
    result.addContext = { title: text('addContext.title', chip.title, TITLE_LIMIT, true).replace(/\s+/g, ' ').trim(), content: text('addContext.content', chip.content, ACTION_CONTEXT_LIMIT) };
  }
  if (raw.followUp !== undefined) {
    const followUp = record('followUp', raw.followUp, ['text', 'send']);
    const question = text('followUp.text', followUp.text, ACTION_TEXT_LIMIT, true);
    if (followUp.send !== undefined && typeof followUp.send !== 'boolean') return refuse(`"followUp.send" must be true or false, not ${describeValue(followUp.send)}.`);
    result.followUp = followUp.send === true ? { text: question, send: true } : { text: question };
  }
  return result;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

function digits(value: number): string {
  return value.toLocaleString('en-US');
}
