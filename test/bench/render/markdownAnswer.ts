/**
 * A long, realistic model answer in markdown: headings, paragraphs with inline code, emphasis
 * and links, bullet and numbered lists, tables, and many fenced code blocks in several languages
 * and of varied lengths. Deterministic for a given seed and size.
 *
 * The answer is a run of sections that each mix all of these, so any stretch of a few KB holds
 * the same kinds of blocks: the flatness benchmark compares the first tenth of the answer with
 * the last, and that comparison must measure the length of the answer, not a change of content.
 */
import { codeSample, type CodeLanguage } from './codeSamples';
import { SeededRandom } from './seededRandom';

const WORDS = [
  'the', 'server', 'streams', 'tokens', 'while', 'each', 'request', 'waits', 'for', 'its', 'answer', 'and', 'a', 'cache',
  'keeps', 'recent', 'results', 'so', 'that', 'repeated', 'calls', 'return', 'quickly', 'when', 'configuration', 'changes',
  'reload', 'handler', 'should', 'validate', 'input', 'before', 'writing', 'to', 'disk', 'this', 'avoids', 'partial', 'files',
  'after', 'crash', 'then', 'retry', 'with', 'backoff', 'until', 'limit', 'is', 'reached', 'otherwise', 'report', 'error',
];
const LANGUAGES: readonly CodeLanguage[] = ['python', 'typescript', 'json', 'bash'];
const TOPICS = ['Loading the configuration', 'Validating requests', 'Streaming the response', 'Caching results',
  'Retrying failed calls', 'Writing files atomically', 'Testing the handler', 'Deploying the service'];

function sentence(random: SeededRandom): string {
  const words: string[] = [];
  const length = random.int(8, 18);
  for (let i = 0; i < length; i++) {
    const roll = random.next();
    const word = random.pick(WORDS);
    if (roll < 0.08) words.push(`\`${word}_${random.pick(WORDS)}()\``);
    else if (roll < 0.12) words.push(`[${word} docs](https://example.com/docs/${word}#${random.pick(WORDS)})`);
    else if (roll < 0.15) words.push(`**${word}**`);
    else if (roll < 0.17) words.push(`*${word}*`);
    else words.push(word);
  }
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: SeededRandom): string {
  return Array.from({ length: random.int(2, 5) }, () => sentence(random)).join(' ');
}

function bulletList(random: SeededRandom): string {
  return Array.from({ length: random.int(3, 6) }, () => `- ${sentence(random)}`).join('\n');
}

function numberedList(random: SeededRandom): string {
  return Array.from({ length: random.int(3, 5) }, (_, i) => `${i + 1}. ${sentence(random)}`).join('\n');
}

function table(random: SeededRandom): string {
  const rows = ['| Setting | Default | Range | Meaning |', '| --- | ---: | --- | --- |'];
  for (let i = 0, n = random.int(4, 7); i < n; i++) {
    rows.push(`| \`${random.pick(WORDS)}.${random.pick(WORDS)}\` | ${random.int(0, 5000)} | ${random.int(0, 9)}–${random.int(10, 99999)} | ${sentence(random)} |`);
  }
  return rows.join('\n');
}

function fence(random: SeededRandom, language: CodeLanguage): string {
  // Mostly short and medium listings, now and then a long one.
  const lines = random.next() < 0.15 ? random.int(35, 60) : random.int(4, 22);
  return `\`\`\`${language}\n${codeSample(language, random, lines)}\n\`\`\``;
}

function section(random: SeededRandom, index: number): string {
  const blocks = [`## ${index}. ${random.pick(TOPICS)}`, paragraph(random)];
  blocks.push(fence(random, LANGUAGES[index % LANGUAGES.length] as CodeLanguage));
  blocks.push(paragraph(random), bulletList(random));
  blocks.push(fence(random, LANGUAGES[(index + 1) % LANGUAGES.length] as CodeLanguage));
  if (index % 2 === 0) blocks.push(`### Details`, paragraph(random), table(random));
  else blocks.push(numberedList(random));
  blocks.push(fence(random, LANGUAGES[(index + 2) % LANGUAGES.length] as CodeLanguage), paragraph(random));
  return blocks.join('\n\n');
}

/**
 * An answer of about `chars` characters: whole sections while that brings the length closer to
 * the goal, then closing paragraphs up to it.
 */
export function markdownAnswer(chars: number, seed: number): string {
  const random = new SeededRandom(seed);
  const parts = [`Here is a walkthrough of the whole service, step by step.\n\n${paragraph(random)}`];
  let length = parts[0]?.length ?? 0;
  for (let index = 1; ; index++) {
    const next = section(random, index);
    if (length + next.length / 2 > chars) break;
    parts.push(next);
    length += next.length + 2;
  }
  let closing = 'That covers it.';
  while (length + closing.length < chars - 100) closing += ` ${sentence(random)}`;
  parts.push(closing);
  return `${parts.join('\n\n')}\n`;
}

/** A short answer, as most turns of a long conversation are: a paragraph, a list, a code block. */
export function shortAnswer(seed: number): string {
  const random = new SeededRandom(seed);
  const language = LANGUAGES[seed % LANGUAGES.length] as CodeLanguage;
  const code = codeSample(language, random, random.int(6, 18));
  return [paragraph(random), bulletList(random), `\`\`\`${language}\n${code}\n\`\`\``, paragraph(random)].join('\n\n');
}
