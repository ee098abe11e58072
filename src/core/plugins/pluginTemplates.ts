/**
 * Starter plugins for "Create Plugin from Template": each kind is a complete, working
 * folder plugin a user can load at once and then change. The texts are teaching material,
 * so their comments explain what each part does. Code templates ship the plugin API's type
 * declarations next to `index.js`, so `// @ts-check` and JSDoc give the author IntelliSense
 * and type errors without any build step.
 */
import type { PluginConfigSchema } from '../api';

export type PluginTemplateKind = 'provider' | 'tool' | 'filter' | 'openapi';

export interface PluginTemplateInfo {
  kind: PluginTemplateKind;
  label: string;
  description: string;
  /** The file to open after creating the plugin: the one an author edits first. */
  mainFile: string;
}

export interface TemplateFile {
  /** Relative to the new plugin's folder, with `/` separators. */
  path: string;
  content: string;
}

export const PLUGIN_TEMPLATES: readonly PluginTemplateInfo[] = [
  { kind: 'provider', label: 'Provider', description: 'A model of your own in the model picker, streaming its answers', mainFile: 'index.js' },
  { kind: 'tool', label: 'Tool', description: 'A function the model may call, with JSON Schema parameters', mainFile: 'index.js' },
  { kind: 'filter', label: 'Filter', description: 'Changes requests before the model, streamed pieces, and finished answers', mainFile: 'index.js' },
  { kind: 'openapi', label: 'OpenAPI tool', description: 'Tools from an HTTP API described by an OpenAPI file (no code)', mainFile: 'openapi.yaml' },
];

/** The file the templates' JSDoc refers to (`import('./patchbay-plugin')`). */
export const API_DECLARATIONS_FILE = 'patchbay-plugin.d.ts';

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
 * The files of a new plugin of `kind`. `apiDeclarations` is the text of the shipped
 * `patchbay-plugin.d.ts`, written next to the code so its JSDoc types resolve.
 */
export function pluginTemplateFiles(kind: PluginTemplateKind, id: string, apiDeclarations: string): TemplateFile[] {
  const problem = newPluginIdProblem(id);
  if (problem) throw new Error(`"${id}" is not a valid plugin id: ${problem}`);
  const displayName = displayNameFor(id);
  switch (kind) {
    case 'provider':
      return codePlugin(id, displayName, 'A standalone provider with one model that repeats what you say.', undefined, providerSource(id, displayName), apiDeclarations);
    case 'tool':
      return codePlugin(id, displayName, 'A tool the model may call: counts the words in a text.', TOOL_SCHEMA, toolSource(displayName), apiDeclarations);
    case 'filter':
      return codePlugin(id, displayName, 'A filter: adds a system message, can hide reasoning.', FILTER_SCHEMA, filterSource(displayName), apiDeclarations);
    case 'openapi':
      return openApiPlugin(id, displayName);
  }
}

function codePlugin(
  id: string,
  displayName: string,
  description: string,
  configSchema: PluginConfigSchema | undefined,
  source: string,
  apiDeclarations: string,
): TemplateFile[] {
  const manifest = {
    name: id,
    version: '0.1.0',
    description,
    private: true,
    main: 'index.js',
    patchbay: { id, displayName, ...(configSchema ? { configSchema } : {}) },
  };
  return [
    { path: 'package.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'index.js', content: source },
    { path: API_DECLARATIONS_FILE, content: apiDeclarations },
  ];
}

const TOOL_SCHEMA: PluginConfigSchema = {
  type: 'object',
  properties: {
    ignoreCase: { type: 'boolean', default: true, description: 'Count "The" and "the" as the same word.' },
    minWordLength: { type: 'integer', minimum: 1, default: 1, description: 'Words shorter than this are not counted.' },
  },
  additionalProperties: false,
};

const FILTER_SCHEMA: PluginConfigSchema = {
  type: 'object',
  properties: {
    systemMessage: {
      type: 'string',
      default: 'Answer briefly and precisely.',
      description: 'Added to the start of every request as a system message (empty: add nothing).',
    },
    hideReasoning: { type: 'boolean', default: false, description: "Hide the model's reasoning from the chat and the saved answer." },
  },
  additionalProperties: false,
};

const HEADER = `// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.
`;

function providerSource(id: string, displayName: string): string {
  return `${HEADER}
/**
 * ${displayName}: a standalone provider. It needs no server and no entry in config.yaml:
 * its models appear in the chat's model picker under "${displayName}" as soon as it loads.
 * Replace the body of chat() with calls to your own model.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Everything registered here is removed again when the plugin unloads or reloads.
  context.registerProvider({
    id: ${JSON.stringify(id)},
    label: ${JSON.stringify(displayName)},

    // The models to list. Called when the model list is refreshed.
    listModels: async () => [{ id: 'echo', label: 'Echo', details: 'repeats your last message' }],

    // Streams one answer. Yield its text in pieces as they become available; returning
    // means the answer is complete. \`signal\` is aborted when the user presses Stop.
    async *chat(request, signal) {
      const question = request.messages.filter((message) => message.role === 'user').pop()?.content ?? '';
      const answer = question.trim() === '' ? 'Say something and I will repeat it.' : \`You said: \${question}\`;
      for (const piece of answer.split(/(?<=\\s)/)) {
        if (signal.aborted) return; // Stopped: end quietly, the chat keeps what it has.
        yield { type: 'text', text: piece };
        await pause(30, signal);
      }
      yield { type: 'finish', reason: 'stop' };
    },
  });
};

/**
 * Waits \`ms\` milliseconds, or less when \`signal\` is aborted (so Stop is instant).
 * @param {number} ms
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function pause(ms, signal) {
  return new Promise((resolve) => {
    // Stop may have come while the answer waited at a yield: then there is nothing to wait for.
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
`;
}

function toolSource(displayName: string): string {
  return `${HEADER}
/**
 * ${displayName}: a tool the model may call. The model sees its name, description and the
 * JSON Schema of its parameters, and decides when to call it; what invoke() returns is
 * sent back to the model.
 * Settings are declared in package.json ("patchbay.configSchema"). Set them with
 * "Patchbay: Configure Plugin" or in .patchbay/config.yaml under plugins.config.<plugin id>.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Settings arrive checked against the schema, with its defaults filled in. The plugin
  // reloads when they change, so reading them once here is enough.
  const ignoreCase = context.config.ignoreCase !== false;
  const minWordLength = Number(context.config.minWordLength ?? 1);

  context.registerTool({
    // Letters, digits, _ and - only: this is the name model APIs see.
    name: 'count_words',
    description: 'Counts the words in a text and lists the most common ones.',
    parameters: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'The text to count the words of.' },
        top: { type: 'integer', minimum: 0, maximum: 50, description: 'How many of the most common words to list (default 5).' },
      },
      required: ['text'],
      additionalProperties: false,
    },

    // \`signal\` is aborted when the user presses Stop or the call times out: check it in
    // long loops, and pass it on to fetch(url, { signal }) and other cancellable calls.
    async invoke(args, { signal, log }) {
      const text = String(args.text ?? '');
      const top = typeof args.top === 'number' ? args.top : 5;
      /** @type {Map<string, number>} */
      const counts = new Map();
      let words = 0;
      for (const raw of text.split(/\\s+/)) {
        if (words % 1000 === 0) signal.throwIfAborted();
        const word = raw.replace(/^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$/gu, '');
        if (word.length < minWordLength) continue;
        const key = ignoreCase ? word.toLowerCase() : word;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        words += 1;
      }
      log.info(\`counted \${words} words\`);
      const mostCommon = [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, top)
        .map(([word, count]) => ({ word, count }));
      // Anything JSON can carry may be returned; a string is sent as is.
      return { words, distinctWords: counts.size, mostCommon };
    },
  });
};
`;
}

function filterSource(displayName: string): string {
  return `${HEADER}
/**
 * ${displayName}: a filter. Filters see each chat request before it goes to the model
 * (inlet), each piece of the answer as it streams in (stream), and the finished answer
 * (outlet). Any of the three may be left out.
 * Settings are declared in package.json ("patchbay.configSchema"). Set them with
 * "Patchbay: Configure Plugin" or in .patchbay/config.yaml under plugins.config.<plugin id>.
 */

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  // Settings arrive checked against the schema, with its defaults filled in. The plugin
  // reloads when they change, so reading them once here is enough.
  const systemMessage = String(context.config.systemMessage ?? '');
  const hideReasoning = context.config.hideReasoning === true;

  context.registerFilter({
    id: 'main',

    // Before the request goes to the provider: change it in place (or return a new one).
    // Here: add the system message, to the existing one if the request has one.
    inlet(request) {
      if (systemMessage === '') return;
      const first = request.messages[0];
      if (first && first.role === 'system') first.content = \`\${first.content}\\n\\n\${systemMessage}\`;
      else request.messages.unshift({ role: 'system', content: systemMessage });
    },

    // Each streamed piece of the answer: return it (changed or not), an array of pieces,
    // or null to drop it. This runs for every token, so keep it quick and synchronous.
    stream(event) {
      if (hideReasoning && event.type === 'reasoning') return null;
      return event;
    },

    // The finished answer, before it is saved: change it in place (or return a new one).
    outlet(answer, { log }) {
      if (hideReasoning) answer.reasoning = '';
      log.info(\`\${answer.model} answered with \${answer.content.length} characters\`);
    },
  });
};
`;
}

function openApiPlugin(id: string, displayName: string): TemplateFile[] {
  const manifest = {
    schema_version: 'v1',
    name_for_human: displayName,
    name_for_model: id.replace(/[^a-zA-Z0-9_]/g, '_'),
    description_for_human: 'Search the notes served by a local HTTP API.',
    description_for_model: 'Search the user\'s notes by keyword. Use it when the user asks about something they wrote down.',
    auth: { type: 'none' },
    api: { type: 'openapi', url: 'openapi.yaml' },
  };
  return [
    { path: 'ai-plugin.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'openapi.yaml', content: openApiDocument(displayName) },
    { path: 'README.md', content: openApiReadme(displayName) },
  ];
}

function openApiDocument(displayName: string): string {
  return `# Each operation below becomes a tool the model may call, named by its operationId.
# The model reads the summaries and descriptions to decide when to call it, so make them
# specific. Requests go to the first server URL.
openapi: 3.0.3
info:
  title: ${JSON.stringify(displayName)}
  version: 0.1.0
  description: Search notes kept by a small local service.
servers:
  - url: http://127.0.0.1:8000
paths:
  /notes/search:
    get:
      operationId: searchNotes
      summary: Find notes that contain a keyword.
      parameters:
        - name: q
          in: query
          required: true
          description: The keyword to look for.
          schema:
            type: string
      responses:
        "200":
          description: The matching notes, newest first.
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    title:
                      type: string
                    text:
                      type: string
`;
}

function openApiReadme(displayName: string): string {
  return `# ${displayName}

An OpenAPI tool plugin: no code, just a description of an HTTP API.

- \`ai-plugin.json\` is the manifest (OpenAI's plugin format). \`name_for_human\` and
  \`description_for_human\` are shown in Patchbay; \`description_for_model\` tells the model
  what the tools are for; \`api.url\` names the OpenAPI file (relative to this folder).
- \`openapi.yaml\` describes the API. Each operation with an \`operationId\` becomes a tool;
  its parameters become the tool's arguments. Calls go to the first entry of \`servers\`.

The example expects a service at http://127.0.0.1:8000 answering
\`GET /notes/search?q=...\` with a JSON array of notes. Point \`servers\` at your own API
and describe its operations.
`;
}

/** What "Open Global Plugins Folder" writes into an empty plugins folder. */
export function pluginsFolderReadme(): string {
  return `# Patchbay plugins

Every plugin in this folder is loaded in every workspace. Patchbay notices new, changed
and deleted plugins by itself; "Patchbay: Reload Plugins" loads them all again.

A plugin is one of:

- a single JavaScript file: \`my-plugin.js\` (CommonJS), \`.cjs\` or \`.mjs\` (ES module);
- a folder whose \`package.json\` has a \`"patchbay"\` section; its \`"main"\` file is loaded and
  it may bring its own \`node_modules\`;
- a folder with an \`ai-plugin.json\` and an OpenAPI file: tools from an HTTP API, no code.

The code exports \`activate(context)\` (and optionally \`deactivate()\`) and registers
providers, tools, filters, actions, commands or slash commands through \`context\`.
"Patchbay: Create Plugin from Template" writes a working example of each kind, with type
declarations for IntelliSense.

Settings of a plugin go in \`~/.patchbay/config.yaml\` (or a workspace's
\`.patchbay/config.yaml\`) under \`plugins.config.<plugin id>\`, or use
"Patchbay: Configure Plugin". \`plugins.disabled: [<plugin id>]\` turns a plugin off.
A plugin with the same id in a workspace's \`.patchbay/plugins\` takes this one's place there.
`;
}
