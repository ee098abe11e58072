/**
 * The chat's slash commands: prompt templates from Markdown files in prompt folders, from
 * plugins and the built-in ones, and what a typed `/name input` expands to.
 */
import type { PluginLogger } from '../api';
import type { ContributionRegistry } from '../plugins/contributionRegistry';
import type { PluginCallRules } from '../plugins/pluginCalls';
import type { ModelRef } from '../providers/modelRef';
import { combineTemplates, expandSlashCommand, loadTemplateFolder, parseSlashCommand, type PromptTemplate } from './promptLibrary';
import { TemplateLoaders } from './templateLoaders';

export interface PromptTemplatesDeps {
  registry: ContributionRegistry;
  callRules: PluginCallRules;
  /** Folders of Markdown prompt templates, most specific first (a workspace's, then the global one). */
  folders(): { dir: string; source: 'workspace' | 'global' }[];
  log: PluginLogger;
  /** The model a template names by id, if it is listed. */
  findModel(modelId: string): ModelRef | undefined;
  /** The prompt files were read again. */
  onReload(): void;
}

export class PromptTemplates {
  /** Templates read from prompt folders, most specific folder first. */
  private files: PromptTemplate[] = [];
  /** `/prefix:name` templates plugins load from their own sources. */
  private readonly loaders: TemplateLoaders;

  constructor(private readonly deps: PromptTemplatesDeps) {
    this.loaders = new TemplateLoaders({ registry: deps.registry, callRules: deps.callRules, log: deps.log, onListed: () => deps.onReload() });
    deps.registry.onDidChange((kind) => void (kind === 'templateLoader' && this.loaders.refresh()));
  }

  /** Every prompt template: from prompt folders, plugins and the built-in ones. */
  all(): PromptTemplate[] {
    return combineTemplates(this.files, this.deps.registry.promptTemplates());
  }

  slashCommands(): { name: string; description: string; source: string }[] {
    return [...this.all().map((template) => ({ name: template.name, description: template.description, source: template.source })), ...this.loaders.slashCommands()];
  }

  /** Reads the prompt folders again (their files changed). */
  async reload(): Promise<void> {
    const loaded = await Promise.all(this.deps.folders().map((folder) => loadTemplateFolder(folder.dir, folder.source, this.deps.log)));
    this.files = loaded.flat();
    this.deps.onReload();
    await this.loaders.refresh();
  }

  /** What the model is sent for a slash command, and the model its template asks for; undefined for other text. */
  async expand(text: string): Promise<{ prompt: string; model?: ModelRef } | undefined> {
    const command = parseSlashCommand(text);
    const expanded = (await expandSlashCommand(text, this.all(), this.deps.callRules)) ?? (command ? await this.loaders.expand(command.name, command.input) : undefined);
    if (!expanded) return undefined;
    const model = expanded.model ? this.deps.findModel(expanded.model) : undefined;
    return model ? { prompt: expanded.prompt, model } : { prompt: expanded.prompt };
  }
}
