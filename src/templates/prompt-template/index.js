// @ts-check
// The line above and the JSDoc comments below make VS Code check this file against
// Patchbay's plugin API (patchbay-plugin.d.ts, next to this file) and complete its names.

/**
 * My plugin: slash commands for the chat input. Typing "/" lists them.
 * - /summarize and /translate are prompt templates: the text after the command fills in
 *   {{input}} (a template without {{input}} gets it appended).
 * - /team:<name> is a template loader: its templates come from a source of the plugin's own,
 *   here Markdown files served over HTTP (a repository's raw files, a wiki, a folder on a
 *   server): set "templatesUrl" with "Patchbay: Configure Plugin".
 */

// A template name becomes part of a URL: nothing that could lead elsewhere.
const TEMPLATE_NAME = /^[A-Za-z0-9_-]{1,60}$/;

/** @param {import('./patchbay-plugin').PluginContext} context */
exports.activate = (context) => {
  context.registerPromptTemplate({
    name: 'summarize',
    description: 'Summarize the text in three bullet points',
    template: 'Summarize the following in three short bullet points:\n\n{{input}}',
  });

  // A template may be a function: it gets the input and a CallContext, and has 10 s.
  const language = String(context.config.language ?? 'English');
  context.registerPromptTemplate({
    name: 'translate',
    description: `Translate the text into ${language}`,
    template: (input) => `Translate the following into ${language}. Keep code, names and formatting as they are.\n\n${input}`,
  });

  const templatesUrl = typeof context.config.templatesUrl === 'string' ? context.config.templatesUrl.replace(/\/+$/, '') : undefined;
  context.registerTemplateLoader({
    // What is typed before the colon: /team:review. Letters, digits, - and _; one plugin's per chat.
    prefix: 'team',
    description: 'A template from the team templates of My plugin',

    // The names the slash completion offers after "/team:".
    async list({ signal }) {
      if (!templatesUrl) return [];
      const response = await fetch(`${templatesUrl}/index.json`, { signal });
      if (!response.ok) throw new Error(`${templatesUrl}/index.json answered ${response.status}`);
      const listed = /** @type {unknown} */ (await response.json());
      if (!Array.isArray(listed)) throw new Error('index.json must be an array of { "name", "description" }');
      return listed.filter((item) => typeof item?.name === 'string' && TEMPLATE_NAME.test(item.name)).map((item) => ({
        name: String(item.name),
        ...(typeof item.description === 'string' ? { description: item.description } : {}),
      }));
    },

    // The template itself; undefined when there is none by that name (the chat says so).
    // What you throw is shown to the user: say what to do about it.
    async load(name, { signal, log }) {
      if (!templatesUrl) throw new Error('Set "templatesUrl" with "Patchbay: Configure Plugin" to load /team: templates.');
      if (!TEMPLATE_NAME.test(name)) return undefined;
      const response = await fetch(`${templatesUrl}/${name}.md`, { signal });
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`${templatesUrl}/${name}.md answered ${response.status}`);
      log.info(`loaded /team:${name}`);
      return { template: await response.text() };
    },
  });
};
