/**
 * Markdown to an HTML string with marked. The result is NOT safe to insert: it still contains
 * whatever raw HTML the model wrote. `markdown.ts` always passes it through the sanitizer.
 * Kept free of DOM use so the renderer rules are unit-tested in Node.
 */
import type * as MarkedModule from 'marked';
import type { Marked, Tokens } from 'marked';
import { fenceLanguage, highlightCode } from './highlight';
import { blockedImageLabel, isInlineImageUrl } from './urlPolicy';

// The bundler's require (esbuild evaluates a required module on its first require); the
// webview's types have no Node, so it is declared for the one module it loads.
declare const require: (id: 'marked') => typeof MarkedModule;

export interface MarkdownOptions {
  /** Highlight fenced code. Off for the block that is still streaming, where it would be redone on every frame. */
  highlight: boolean;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function createMarked(options: MarkdownOptions): Marked {
  // Required here, not imported: marked builds its grammar when it is evaluated (a third of the
  // chat script's start-up), and the chat must take input before it renders any markdown.
  const { Marked: MarkedParser } = require('marked');
  return new MarkedParser({
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      code({ text, lang }: Tokens.Code): string {
        const language = fenceLanguage(lang);
        const highlighted = options.highlight ? highlightCode(text, language) : undefined;
        const classAttribute = language === '' ? '' : ` class="language-${escapeHtml(language)}"`;
        return `<pre><code${classAttribute}>${highlighted ?? escapeHtml(text)}</code></pre>\n`;
      },
      image({ href, title, text }: Tokens.Image): string {
        if (isInlineImageUrl(href)) {
          const titleAttribute = title === null ? '' : ` title="${escapeHtml(title)}"`;
          return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttribute}>`;
        }
        return blockedImageHtml(href, text);
      },
      // Checkboxes would be <input> elements, which the sanitizer removes; show them as text.
      checkbox({ checked }: Tokens.Checkbox): string {
        return `<span class="task-box">${checked ? '☑' : '☐'}</span> `;
      },
    },
  });
}

/** The placeholder for an image that is not loaded; its title shows where it pointed. */
export function blockedImageHtml(url: string, altText: string): string {
  return `<span class="blocked-image" title="${escapeHtml(`Image not loaded: ${url}`)}">${escapeHtml(blockedImageLabel(altText))}</span>`;
}

let highlighting: Marked | undefined;
let plain: Marked | undefined;

export function markdownToHtml(markdown: string, options: MarkdownOptions): string {
  const parser = options.highlight ? (highlighting ??= createMarked({ highlight: true })) : (plain ??= createMarked({ highlight: false }));
  return parser.parse(markdown, { async: false });
}
