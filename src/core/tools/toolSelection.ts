/**
 * Chooses which tools to offer the model when there are more than fit: OpenAI rejects more
 * than 128 tools, and every tool's description and schema takes context. Tools are ranked
 * by how many words of the question they share with their name and description, and taken
 * in that order while they fit both the count and the token budget.
 */
import type { ToolDefinition } from '../api';
import type { Listed } from '../plugins/contributionRegistry';

export interface ToolBudget {
  maxTools: number;
  /** Estimated tokens of all offered tools' names, descriptions and schemas. */
  maxTokens: number;
}

export const defaultToolBudget: ToolBudget = { maxTools: 64, maxTokens: 8000 };

export interface ToolChoice {
  offered: Listed<ToolDefinition>[];
  total: number;
}

export function chooseTools(tools: readonly Listed<ToolDefinition>[], question: string, budget: ToolBudget): ToolChoice {
  const words = new Set(wordsOf(question));
  const ranked = tools
    .map((tool, index) => ({ tool, index, score: relevance(tool, words) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const offered: Listed<ToolDefinition>[] = [];
  let tokens = 0;
  for (const { tool } of ranked) {
    if (offered.length >= Math.min(budget.maxTools, 128)) break;
    const cost = estimateToolTokens(tool);
    if (tokens + cost > budget.maxTokens) continue;
    tokens += cost;
    offered.push(tool);
  }
  return { offered, total: tools.length };
}

export function estimateToolTokens(tool: Listed<ToolDefinition>): number {
  return Math.ceil((tool.listedName.length + tool.definition.description.length + JSON.stringify(tool.definition.parameters).length) / 3);
}

function relevance(tool: Listed<ToolDefinition>, words: ReadonlySet<string>): number {
  if (words.size === 0) return 0;
  const name = new Set(wordsOf(tool.listedName));
  const description = new Set(wordsOf(tool.definition.description.slice(0, 400)));
  let score = 0;
  for (const word of words) {
    if (name.has(word)) score += 3;
    else if (description.has(word)) score += 1;
  }
  return score;
}

/** Lower-case words of three letters or more, camelCase and snake_case split, plurals folded. */
function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 3)
    .map((word) => (word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word));
}
