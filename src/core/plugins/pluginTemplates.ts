/**
 * Starter plugins for "Create Plugin from Template". Each kind is a folder of real files
 * under `src/templates/<kind>` (shipped as `dist/templates/<kind>`): a complete, working
 * plugin with the id `my-plugin` and the display name `My plugin`, type-checked and
 * linted like the rest of the code. Creating a plugin copies that folder, putting the
 * author's id and display name in place of those placeholders. Code templates also get the
 * plugin API's declarations next to `index.js`, so `// @ts-check` and JSDoc give the author
 * IntelliSense and type errors without any build step.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type PluginTemplateKind = 'provider' | 'provider-type' | 'tool' | 'filter' | 'context-provider' | 'openapi' | 'action' | 'command' | 'prompt-template';

export interface PluginTemplateInfo {
  kind: PluginTemplateKind;
  label: string;
  description: string;
  /** The file to open after creating the plugin: the one an author edits first. */
  mainFile: string;
  /** Its code refers to the API declarations (`import('./patchbay-plugin')`). */
  typed: boolean;
}

export interface TemplateFile {
  /** Relative to the new plugin's folder, with `/` separators. */
  path: string;
  content: string;
}

export const PLUGIN_TEMPLATES: readonly PluginTemplateInfo[] = [
  { kind: 'provider', label: 'Provider', description: 'A model of your own in the model picker, streaming its answers', mainFile: 'index.js', typed: true },
  { kind: 'tool', label: 'Tool', description: 'A function the model may call, with JSON Schema parameters', mainFile: 'index.js', typed: true },
  { kind: 'filter', label: 'Filter', description: 'Changes requests before the model, streamed pieces, and finished answers', mainFile: 'index.js', typed: true },
  { kind: 'context-provider', label: 'Context provider', description: 'An @name mention in the chat whose result goes with the next question as a chip', mainFile: 'index.js', typed: true },
  { kind: 'openapi', label: 'OpenAPI tool', description: 'Tools from an HTTP API described by an OpenAPI file (no code)', mainFile: 'openapi.yaml', typed: false },
  { kind: 'action', label: 'Action', description: 'Buttons on each answer that change it, open its code or ask a follow-up', mainFile: 'index.js', typed: true },
  { kind: 'command', label: 'Command', description: 'Entries in "Run Plugin Command" that insert text, open documents or add context', mainFile: 'index.js', typed: true },
  { kind: 'prompt-template', label: 'Prompt template', description: 'Slash commands: templates, and /prefix:name templates a loader fetches', mainFile: 'index.js', typed: true },
  { kind: 'provider-type', label: 'Provider type', description: 'A `type:` for config.yaml endpoints, talking to a server of that kind', mainFile: 'index.js', typed: true },
];

/** The file the templates' JSDoc refers to (`import('./patchbay-plugin')`). */
export const API_DECLARATIONS_FILE = 'patchbay-plugin.d.ts';

/**
 * What the template files say where the new plugin's names go. The plugin id rules (and the
 * display and model names derived from an id) allow only letters, digits, spaces and `._-`,
 * so a name put in a JSON, JavaScript or YAML string, a comment or Markdown never needs
 * escaping and cannot end the string it stands in.
 */
export const TEMPLATE_PLACEHOLDERS = {
  id: 'my-plugin',
  displayName: 'My plugin',
  /** OpenAPI manifests' `name_for_model`: the id with only letters, digits and `_`. */
  modelName: 'my_plugin',
} as const;

const NEW_PLUGIN_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Why `id` cannot name a new plugin, or undefined when it can. */
export function newPluginIdProblem(id: string): string | undefined {
  if (id === '') return 'Enter an id, e.g. my-plugin';
  if (!NEW_PLUGIN_ID.test(id)) return 'Use lowercase letters, digits, ".", "_" and "-" (starting with a letter or digit, at most 64 characters)';
  return undefined;
}

/** "my-word_count" -> "My word count" */
export function displayNameFor(id: string): string {
  const words = id.split(/[-_.]+/).filter((word) => word !== '').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The files of a new plugin of `kind`, read from `templatesFolder` (the extension's
 * `dist/templates`). `apiDeclarations` is the text of the shipped `patchbay-plugin.d.ts`,
 * written next to typed code so its JSDoc types resolve.
 */
export async function pluginTemplateFiles(templatesFolder: string, kind: PluginTemplateKind, id: string, apiDeclarations: string): Promise<TemplateFile[]> {
  const problem = newPluginIdProblem(id);
  if (problem) throw new Error(`"${id}" is not a valid plugin id: ${problem}`);
  const template = PLUGIN_TEMPLATES.find((candidate) => candidate.kind === kind);
  if (!template) throw new Error(`there is no "${kind}" plugin template`);
  const folder = path.join(templatesFolder, kind);
  let paths: string[];
  try {
    paths = await filesUnder(folder);
  } catch (error) {
    throw new Error(`the ${template.label.toLowerCase()} template is missing from the extension (${folder}); build it with "npm run build"`, { cause: error });
  }
  const names = namesFor(id);
  const files: TemplateFile[] = [];
  for (const relative of paths) {
    const text = await readFile(path.join(folder, ...relative.split('/')), 'utf8');
    files.push({ path: relative, content: withNames(text, names) });
  }
  if (template.typed) files.push({ path: API_DECLARATIONS_FILE, content: apiDeclarations });
  return files;
}

/** What "Open Global Plugins Folder" writes into an empty plugins folder. */
export async function pluginsFolderReadme(templatesFolder: string): Promise<string> {
  return readFile(path.join(templatesFolder, 'plugins-folder-README.md'), 'utf8');
}

type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[keyof typeof TEMPLATE_PLACEHOLDERS];

function namesFor(id: string): Record<Placeholder, string> {
  return {
    [TEMPLATE_PLACEHOLDERS.id]: id,
    [TEMPLATE_PLACEHOLDERS.displayName]: displayNameFor(id),
    [TEMPLATE_PLACEHOLDERS.modelName]: id.replace(/[^a-zA-Z0-9_]/g, '_'),
  };
}

const PLACEHOLDER = new RegExp(Object.values(TEMPLATE_PLACEHOLDERS).join('|'), 'g');

/** One pass, so a name that contains a placeholder (the id `my-plugin-2`) is not replaced again. */
function withNames(text: string, names: Record<Placeholder, string>): string {
  return text.replace(PLACEHOLDER, (placeholder) => names[placeholder as Placeholder]);
}

/** Every file below `folder`, as sorted `/`-separated relative paths. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
