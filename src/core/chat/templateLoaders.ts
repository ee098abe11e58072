/**
 * Slash commands whose templates a plugin loads from its own source: `/gh:review rest` asks
 * the loader with prefix `gh` for the template `review` and fills in the rest as a prompt
 * template's `{{input}}`. The names a loader lists are kept for the slash completion and asked
 * again whenever loaders change. Calls go through the plugin-call rules: one that throws fails
 * only its send, one that hangs past 10 s marks its plugin failed.
 */
import type { LoadedTemplate, PluginLogger, TemplateListing, TemplateLoaderDefinition } from '../api';
import { describeError } from '../errors';
import type { ContributionRegistry, Owned } from '../plugins/contributionRegistry';
import { ANSWER_PATH_TIMEOUT_MS, PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';
import { fillTemplate, type ExpandedPrompt } from './promptLibrary';

export interface TemplateLoadersDeps {
  registry: ContributionRegistry;
  callRules: PluginCallRules;
  log: PluginLogger;
  /** The listed names changed. */
  onListed(): void;
}

export interface LoaderSlashCommand {
  name: string;
  description: string;
  source: string;
}

const LISTED_NAME = /^[A-Za-z0-9_.:/-]{1,100}$/;
/** More names than a completion list can usefully show. */
const MAX_LISTED = 200;

export class TemplateLoaders {
  /** What each loader's `list()` said last, by prefix. */
  private listings = new Map<string, TemplateListing[]>();
  private generation = 0;

  constructor(private readonly deps: TemplateLoadersDeps) {}

  /** Each loader's `prefix:` and the names it listed. */
  slashCommands(): LoaderSlashCommand[] {
    return this.loaders().flatMap(({ owner, definition }) => [
      { name: `${definition.prefix}:`, description: definition.description, source: owner },
      ...(this.listings.get(definition.prefix) ?? []).map((item) => ({ name: `${definition.prefix}:${item.name}`, description: item.description ?? definition.description, source: owner })),
    ]);
  }

  /** Asks every loader for its names again; a loader whose `list` fails lists none (and says why in the log). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const listings = new Map<string, TemplateListing[]>();
    await Promise.all(
      this.loaders().map(async (loader) => {
        const { list, prefix } = loader.definition;
        if (!list) return;
        try {
          const listed = await this.caller().call(loader.owner, `template loader "${prefix}" list`, (context) => list(context), { timeoutMs: ANSWER_PATH_TIMEOUT_MS });
          listings.set(prefix, this.checkedListing(listed, loader));
        } catch (error) {
          this.deps.log.warn(`template loader "${prefix}" of plugin "${loader.owner}" could not list its templates: ${describeError(error)}`);
        }
      }),
    );
    // A later refresh started meanwhile knows better.
    if (generation !== this.generation) return;
    this.listings = listings;
    this.deps.onListed();
  }

  /** The prompt for `/prefix:name input`, or undefined when no loader has the prefix. */
  async expand(command: string, input: string): Promise<ExpandedPrompt | undefined> {
    const colon = command.indexOf(':');
    if (colon <= 0) return undefined;
    const prefix = command.slice(0, colon);
    const name = command.slice(colon + 1);
    const loader = this.loaders().find((item) => item.definition.prefix === prefix);
    if (!loader || name === '') return undefined;
    const what = `template loader "${prefix}" (plugin "${loader.owner}")`;
    const load = loader.definition.load;
    const loaded: unknown = await this.caller().call(loader.owner, `template loader "${prefix}"`, (context) => load(name, context), { timeoutMs: ANSWER_PATH_TIMEOUT_MS });
    if (loaded === undefined || loaded === null) throw new Error(`${what} has no template "${name}"`);
    const template = (loaded as Partial<LoadedTemplate>).template;
    if (typeof template !== 'string' || template.trim() === '') throw new Error(`${what} returned no template text for "${name}" (expected { template: "…" })`);
    const model = (loaded as Partial<LoadedTemplate>).model;
    return { prompt: fillTemplate(template, input), ...(typeof model === 'string' && model.trim() !== '' ? { model: model.trim() } : {}) };
  }

  private loaders(): Owned<TemplateLoaderDefinition>[] {
    return this.deps.registry.all('templateLoader').sort((a, b) => a.definition.prefix.localeCompare(b.definition.prefix));
  }

  private caller(): PluginCaller {
    return new PluginCaller(this.deps.callRules);
  }

  private checkedListing(listed: unknown, loader: Owned<TemplateLoaderDefinition>): TemplateListing[] {
    if (!Array.isArray(listed)) {
      this.deps.log.warn(`template loader "${loader.definition.prefix}" of plugin "${loader.owner}": list() must return an array of { name, description? }`);
      return [];
    }
    const valid = listed.filter((item: unknown): item is TemplateListing => {
      const { name, description } = (item ?? {}) as Partial<TemplateListing>;
      return typeof name === 'string' && LISTED_NAME.test(name) && (description === undefined || typeof description === 'string');
    });
    if (valid.length < listed.length) this.deps.log.warn(`template loader "${loader.definition.prefix}" of plugin "${loader.owner}": ${listed.length - valid.length} listed name(s) skipped (a name is letters, digits and . _ - : /, at most 100)`);
    return valid.slice(0, MAX_LISTED).map((item) => ({ name: item.name, ...(item.description !== undefined ? { description: item.description } : {}) }));
  }
}
