/**
 * Saved conversations of a given length, as ConversationStore writes them (one JSON file per
 * conversation): questions, some with an editor selection attached, alternating with answers
 * that hold some markdown and a code block. Deterministic.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Conversation, Turn } from '../../../src/protocol/messages';
import { codeSample } from './codeSamples';
import { assistantTurn, userTurn } from './hostMessages';
import { shortAnswer } from './markdownAnswer';
import { SeededRandom } from './seededRandom';

export function conversation(id: string, messages: number): Conversation {
  const random = new SeededRandom(messages);
  const turns: Turn[] = [];
  for (let i = 0; i < messages; i++) {
    if (i % 2 === 0) {
      const question = userTurn(`${id}-${i}`, `Question ${i / 2 + 1}: how should the ${random.pick(['cache', 'handler', 'parser', 'client'])} deal with a timeout here?`);
      // Every fifth question carries a selection, as "Ask About Selection" saves it.
      if (i % 10 === 0) question.attachments.push({ kind: 'selection', label: `src/service.ts:${i}-${i + 24}`, language: 'typescript', text: codeSample('typescript', random, 24) });
      turns.push(question);
    } else {
      turns.push(assistantTurn(`${id}-${i}`, shortAnswer(i), 'complete'));
    }
  }
  return { id, title: `Benchmark conversation (${messages} messages)`, turns, createdAt: 0, updatedAt: 0 };
}

/** A folder with the conversations saved as files; `remove` deletes it. */
export async function saveConversations(conversations: readonly Conversation[]): Promise<{ files: Map<string, string>; remove(): Promise<void> }> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'patchbay-bench-render-'));
  const files = new Map<string, string>();
  for (const saved of conversations) {
    const file = path.join(folder, `${saved.id}.json`);
    await writeFile(file, JSON.stringify(saved));
    files.set(saved.id, file);
  }
  return { files, remove: () => rm(folder, { recursive: true, force: true }) };
}
