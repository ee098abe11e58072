/**
 * Slash commands: `/name rest of the line` in the chat input becomes the text of the
 * prompt template called `name`, with `{{input}}` replaced by the rest of the line.
 */
import type { PluginLogger, PromptTemplateDefinition } from '../api';
import type { Listed } from '../plugins/contributionRegistry';
import { callPlugin } from '../plugins/pluginCalls';

const SLASH_COMMAND = /^\/([A-Za-z0-9_.:-]+)(?:[ \t]+([\s\S]*)|\n([\s\S]*))?$/;

export interface TemplateCallHooks {
  loggerFor(pluginId: string): PluginLogger;
  signalOf(pluginId: string): AbortSignal | undefined;
  timeoutMs: number;
}

/** The expanded prompt, or undefined when the text is not a known slash command. */
export async function expandSlashCommand(
  text: string,
  templates: readonly Listed<PromptTemplateDefinition>[],
  hooks: TemplateCallHooks,
): Promise<string | undefined> {
  const match = SLASH_COMMAND.exec(text.trim());
  if (!match) return undefined;
  const template = templates.find((item) => item.listedName === match[1]);
  if (!template) return undefined;
  const input = (match[2] ?? match[3] ?? '').trim();
  const { definition, owner } = template;
  if (typeof definition.template === 'string') return fillTemplate(definition.template, input);
  const render = definition.template;
  const pluginSignal = hooks.signalOf(owner);
  const rendered = await callPlugin(
    { pluginId: owner, what: `prompt template "/${definition.name}"`, timeoutMs: hooks.timeoutMs, log: hooks.loggerFor(owner), ...(pluginSignal ? { pluginSignal } : {}) },
    () => render(input),
  );
  if (typeof rendered !== 'string') throw new Error(`prompt template "/${definition.name}" of plugin "${owner}" did not return text`);
  return rendered;
}

/** `{{input}}` takes the rest of the line; a template without it gets the input appended. */
export function fillTemplate(template: string, input: string): string {
  if (template.includes('{{input}}')) return template.replaceAll('{{input}}', input);
  return input === '' ? template : `${template}\n\n${input}`;
}
