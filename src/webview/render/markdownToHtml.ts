/**
 * Markdown to an HTML string with marked. The result is NOT safe to insert: it still contains
 * whatever raw HTML the model wrote. `markdown.ts` always passes it through the sanitizer.
 * Kept free of DOM use so the renderer rules are unit-tested in Node.
 */
import { Marked, type Tokens } from 'marked';
import { fenceLanguage, highlightCode } from './highlight';
import { blockedImageLabel, isInlineImageUrl } from './urlPolicy';

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
  return new Marked({
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

const highlighting = createMarked({ highlight: true });
const plain = createMarked({ highlight: false });

export function markdownToHtml(markdown: string, options: MarkdownOptions): string {
  return (options.highlight ? highlighting : plain).parse(markdown, { async: false });
}
