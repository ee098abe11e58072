/**
 * A web page's HTML as readable text for a model: its title, and the words of its main content
 * with headings, list items, paragraphs and preformatted blocks kept apart, links written as
 * `text (address)`; scripts, styles and other markup that is not read are left out, character
 * references decoded. Not an HTML parser: a page that is not well formed still gives its words.
 */

export interface PageText {
  title: string;
  text: string;
}

/** Elements whose content is not text a reader sees. */
const UNREAD = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas', 'head', 'select'];
const BLOCKS = 'p|div|section|article|main|header|footer|aside|nav|ul|ol|table|tr|form|fieldset|figure|figcaption|blockquote|dl|dt|dd|address|details|summary|hr';

export function htmlToText(html: string): PageText {
  const title = collapse(decodeEntities(stripTags(/<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1] ?? '')));
  let body = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of UNREAD) body = body.replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?</${tag}\\s*>`, 'gi'), ' ');
  // The page's own content, when it marks it, without its navigation around.
  body = /<main\b[^>]*>([\s\S]*?)<\/main\s*>/i.exec(body)?.[1] ?? /<article\b[^>]*>([\s\S]*?)<\/article\s*>/i.exec(body)?.[1] ?? body;

  // Preformatted text keeps its spaces and lines: set aside until the rest is collapsed.
  const kept: string[] = [];
  body = body.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_whole, inner: string) => `\n\u0000${kept.push(decodeEntities(stripTags(inner)).replace(/^\n+|\n+$/g, '')) - 1}\u0000\n`);
  // Line breaks in the source are spaces, as a browser shows them; the markup says where lines end.
  body = body
    .replace(/\s+/g, ' ')
    .replace(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi, (_whole, double?: string, single?: string, bare?: string, inner = '') => {
      const text = collapse(stripTags(inner));
      const href = decodeEntities(double ?? single ?? bare ?? '');
      return /^https?:\/\//i.test(href) && text !== '' && text !== href ? `${text} (${href})` : text;
    })
    .replace(/<h([1-6])\b[^>]*>/gi, (_whole, level: string) => `\n\n${'#'.repeat(Number(level))} `)
    .replace(/<\/h[1-6]\s*>/gi, '\n\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<(?:td|th)\b[^>]*>/gi, ' | ')
    .replace(new RegExp(`</?(?:${BLOCKS})\\b[^>]*>`, 'gi'), '\n\n');
  const lines = decodeEntities(stripTags(body))
    .split('\n')
    .map((line) => collapse(line));
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\u0000(\d+)\u0000/g, (_whole, index: string) => kept[Number(index)] ?? '')
    .trim();
  return { title, text };
}

function stripTags(html: string): string {
  return html.replace(/<\/?[a-zA-Z][^>]*>/g, '').replace(/<!--[\s\S]*?-->/g, '');
}

function collapse(text: string): string {
  return text.replace(/[ \t\f\r\u00a0]+/g, ' ').trim();
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', copy: '©', reg: '®', trade: '™',
  laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·', bull: '•', times: '×', euro: '€', deg: '°',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
