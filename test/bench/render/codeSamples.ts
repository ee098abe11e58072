/**
 * Code for the fenced blocks of the benchmark answers, in the languages models write most
 * (python, typescript, json, bash), at lengths from a few lines to a long listing. Built from
 * templates with seeded choices, so it is varied but the same in every run; highlight.js sees
 * the same kinds of tokens (keywords, strings, numbers, comments) as in real answers.
 */
import type { SeededRandom } from './seededRandom';

export type CodeLanguage = 'python' | 'typescript' | 'json' | 'bash';

const NOUNS = ['request', 'session', 'buffer', 'record', 'token', 'config', 'result', 'payload', 'chunk', 'model', 'cache', 'user'];
const VERBS = ['load', 'parse', 'fetch', 'validate', 'merge', 'render', 'store', 'retry', 'split', 'encode', 'collect', 'flush'];

function identifier(random: SeededRandom): string {
  return `${random.pick(VERBS)}_${random.pick(NOUNS)}`;
}

function camel(random: SeededRandom): string {
  const noun = random.pick(NOUNS);
  return `${random.pick(VERBS)}${noun.charAt(0).toUpperCase()}${noun.slice(1)}`;
}

function python(random: SeededRandom, lines: number): string {
  const out = ['import json', 'from pathlib import Path', ''];
  while (out.length < lines) {
    const name = identifier(random);
    const arg = random.pick(NOUNS);
    out.push(
      `def ${name}(${arg}: dict, limit: int = ${random.int(1, 500)}) -> list[str]:`,
      `    """${random.pick(VERBS)} the ${arg} and return what is left (at most {limit} items)."""`,
      '    out = []',
      `    for index, item in enumerate(${arg}.get("items", [])):`,
      '        if index >= limit:',
      '            break',
      `        # keep only the ${random.pick(NOUNS)}s that parse`,
      `        out.append(f"{index}: {json.dumps(item)[:${random.int(20, 80)}]}")`,
      '    return out',
      '',
    );
  }
  return out.slice(0, lines).join('\n');
}

function typescript(random: SeededRandom, lines: number): string {
  const out = ["import { readFile } from 'node:fs/promises';", ''];
  while (out.length < lines) {
    const name = camel(random);
    const type = random.pick(NOUNS);
    const Type = type.charAt(0).toUpperCase() + type.slice(1);
    out.push(
      `export interface ${Type}Options {`,
      `  timeoutMs: number; // default ${random.int(100, 9000)}`,
      '  retries?: number;',
      '}',
      '',
      `export async function ${name}(path: string, options: ${Type}Options): Promise<string[]> {`,
      "  const text = await readFile(path, 'utf8');",
      `  const rows = text.split('\\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));`,
      `  return rows.slice(0, ${random.int(5, 200)}).map((row, i) => \`\${i}: \${row}\`);`,
      '}',
      '',
    );
  }
  return out.slice(0, lines).join('\n');
}

function json(random: SeededRandom, lines: number): string {
  const entries: string[] = [];
  // Each entry is 6 lines; the braces around them are 2 more.
  const count = Math.max(1, Math.round((lines - 2) / 6));
  for (let i = 0; i < count; i++) {
    entries.push([
      `  "${camel(random)}": {`,
      `    "enabled": ${random.next() < 0.5 ? 'true' : 'false'},`,
      `    "limit": ${random.int(1, 10_000)},`,
      `    "name": "${random.pick(NOUNS)}-${random.int(1, 99)}",`,
      `    "tags": ["${random.pick(NOUNS)}", "${random.pick(VERBS)}", null]`,
      '  }',
    ].join('\n'));
  }
  return `{\n${entries.join(',\n')}\n}`;
}

function bash(random: SeededRandom, lines: number): string {
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail', ''];
  while (out.length < lines) {
    const dir = random.pick(NOUNS);
    out.push(
      `# ${random.pick(VERBS)} every ${dir} file`,
      `${dir.toUpperCase()}_DIR="\${HOME}/.cache/${dir}s"`,
      `for file in "$${dir.toUpperCase()}_DIR"/*.json; do`,
      `  if [[ -s "$file" ]]; then`,
      `    jq -r '.items[] | select(.size > ${random.int(10, 4096)}) | .name' "$file" | sort | uniq -c`,
      '  fi',
      'done',
      '',
    );
  }
  return out.slice(0, lines).join('\n');
}

const GENERATORS: Record<CodeLanguage, (random: SeededRandom, lines: number) => string> = { python, typescript, json, bash };

export function codeSample(language: CodeLanguage, random: SeededRandom, lines: number): string {
  return GENERATORS[language](random, lines);
}
