/**
 * Slash commands: `/name rest of the line` in the chat input becomes the text of a prompt
 * template. Templates come from Markdown files in `.patchbay/prompts` (a workspace's) and
 * `~/.patchbay/prompts` (everyone's), from plugins, and the built-in `/explain`, `/fix`,
 * `/tests` and `/doc`. When two share a name, the most specific wins: workspace, global,
 * plugin, built-in.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CallContext, PluginLogger, PromptTemplateDefinition } from '../api';
import type { Listed } from '../plugins/contributionRegistry';
import { ANSWER_PATH_TIMEOUT_MS, PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';
import { yaml } from '../util/lazyModules';

export interface PromptTemplate {
  name: string;
  description: string;
  template: string | ((input: string, context: CallContext) => string | Promise<string>);
  /** Where it comes from: `built-in`, `workspace`, `global`, or a plugin id. */
  source: string;
  /** A model id the template asks for, from a file's front matter. */
  model?: string;
  /** The plugin whose code renders it, for its call rules. */
  plugin?: string;
}

export interface ExpandedPrompt {
  prompt: string;
  model?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,40}$/;
// A loader's template name (`/gh:team/review`) may hold slashes.
const SLASH_COMMAND = /^\/([A-Za-z0-9_.:-]+(?::[A-Za-z0-9_.:/-]+)?)(?:[ \t]+([\s\S]*)|\n([\s\S]*))?$/;

export const builtInTemplates: readonly PromptTemplate[] = [
  {
    name: 'explain',
    description: 'Explain what the code does, step by step',
    template: 'Explain what this code does, step by step, and point out anything surprising or risky.\n\n{{input}}',
    source: 'built-in',
  },
  {
    name: 'fix',
    description: 'Find the bugs and fix them',
    template: 'Find the bugs in this code and fix them. Show the corrected code and say what was wrong and why.\n\n{{input}}',
    source: 'built-in',
  },
  {
    name: 'tests',
    description: 'Write unit tests for the code',
    template: "Write unit tests for this code: normal cases, edge cases and errors. Use the project's test framework when it is apparent.\n\n{{input}}",
    source: 'built-in',
  },
  {
    name: 'doc',
    description: 'Write documentation comments for the code',
    template: "Write documentation comments for this code in the language's usual style (JSDoc, docstrings...). Return the code with the comments added.\n\n{{input}}",
    source: 'built-in',
  },
];

/** A template file: optional YAML front matter (name, description, model), then the text. */
export function parseTemplateFile(text: string, fileName: string, source: string): PromptTemplate {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  let front: Record<string, unknown> = {};
  let body = text;
  if (match) {
    const parsed: unknown = yaml().parse(match[1] ?? '');
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('the front matter must be a YAML mapping');
    front = (parsed ?? {}) as Record<string, unknown>;
    body = match[2] ?? '';
  }
  const name = typeof front['name'] === 'string' ? front['name'].trim() : path.basename(fileName, path.extname(fileName));
  if (!NAME.test(name)) throw new Error(`"${name}" is not a valid slash command name (letters, digits, - and _, at most 40)`);
  if (body.trim() === '') throw new Error('the template has no text');
  const firstLine = body.trim().split('\n')[0]?.slice(0, 80) ?? name;
  const template: PromptTemplate = {
    name,
    description: typeof front['description'] === 'string' && front['description'].trim() !== '' ? front['description'].trim() : firstLine,
    template: body.trim(),
    source,
  };
  if (typeof front['model'] === 'string' && front['model'].trim() !== '') template.model = front['model'].trim();
  return template;
}

/** Every `*.md` in a folder; a file with a problem is reported and skipped. */
export async function loadTemplateFolder(folder: string, source: string, log: PluginLogger): Promise<PromptTemplate[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();
  } catch {
    return [];
  }
  const templates: PromptTemplate[] = [];
  for (const name of names) {
    try {
      templates.push(parseTemplateFile(await readFile(path.join(folder, name), 'utf8'), name, source));
    } catch (error) {
      log.warn(`prompt template ${path.join(folder, name)} is skipped: ${(error as Error).message}`);
    }
  }
  return templates;
}

/** All templates, the most specific first; one per name. */
export function combineTemplates(files: readonly PromptTemplate[], plugins: readonly Listed<PromptTemplateDefinition>[]): PromptTemplate[] {
  const fromPlugins = plugins.map((item): PromptTemplate => ({
    name: item.listedName,
    description: item.definition.description,
    template: item.definition.template,
    source: item.owner,
    plugin: item.owner,
  }));
  const seen = new Set<string>();
  return [...files, ...fromPlugins, ...builtInTemplates].filter((template) => {
    if (seen.has(template.name)) return false;
    seen.add(template.name);
    return true;
  });
}

/** A template rendered by plugin code that hangs marks its plugin failed; one that throws fails only the send. */
export type TemplateCallHooks = PluginCallRules;

/** `/name rest`: the command's name and the rest of the text; undefined for text that is no slash command. */
export function parseSlashCommand(text: string): { name: string; input: string } | undefined {
  const match = SLASH_COMMAND.exec(text.trim());
  return match?.[1] ? { name: match[1], input: (match[2] ?? match[3] ?? '').trim() } : undefined;
}

/** The expanded prompt, or undefined when the text is not a known slash command. */
export async function expandSlashCommand(text: string, templates: readonly PromptTemplate[], hooks: TemplateCallHooks): Promise<ExpandedPrompt | undefined> {
  const command = parseSlashCommand(text);
  if (!command) return undefined;
  const template = templates.find((item) => item.name === command.name);
  if (!template) return undefined;
  const input = command.input;
  const expanded: ExpandedPrompt = { prompt: await render(template, input, hooks) };
  if (template.model) expanded.model = template.model;
  return expanded;
}

async function render(template: PromptTemplate, input: string, hooks: TemplateCallHooks): Promise<string> {
  if (typeof template.template === 'string') return fillTemplate(template.template, input);
  const renderer = template.template;
  const owner = template.plugin ?? template.source;
  const rendered = await new PluginCaller(hooks).call(owner, `prompt template "/${template.name}"`, (context) => renderer(input, context), { timeoutMs: ANSWER_PATH_TIMEOUT_MS });
  if (typeof rendered !== 'string') throw new Error(`prompt template "/${template.name}" of plugin "${owner}" did not return text`);
  return rendered;
}

/** `{{input}}` takes the rest of the line; a template without it gets the input appended. */
export function fillTemplate(template: string, input: string): string {
  if (template.includes('{{input}}')) return template.replaceAll('{{input}}', input).trim();
  return input === '' ? template : `${template}\n\n${input}`;
}
