/** The chat webview, driven through its accessible names like a person (or a screen reader) would. */
import assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';

export async function chooseModel(chat: Frame, modelId: string): Promise<void> {
  const select = chat.locator('select[aria-label="Model"]');
  await chat.waitForFunction(
    (id) => {
      const element = document.querySelector('select[aria-label="Model"]');
      return element !== null && [...element.querySelectorAll('option')].some((option) => option.textContent?.trim() === id);
    },
    modelId,
    { timeout: 30_000 },
  );
  const value = await select.locator('option', { hasText: modelId }).first().getAttribute('value');
  assert.ok(value !== null);
  await select.selectOption(value);
}

export async function send(chat: Frame, text: string): Promise<void> {
  const input = chat.locator('textarea[aria-label="Message"]');
  await input.fill(text);
  await input.press('Enter');
}

export function lastAnswer(chat: Frame): Locator {
  return chat.locator('article.turn-assistant').last();
}

/** Sends a message and returns the text of its answer once it has finished streaming. */
export async function ask(chat: Frame, text: string): Promise<string> {
  const before = await chat.locator('article.turn-assistant').count();
  await send(chat, text);
  await chat.waitForFunction(
    (count) => {
      const turns = document.querySelectorAll('article.turn-assistant');
      const last = turns[turns.length - 1];
      const status = last?.getAttribute('data-status');
      const stop = document.querySelector<HTMLButtonElement>('button[aria-label="Stop"]');
      return turns.length > count && status !== null && status !== undefined && status !== 'streaming' && (stop === null || stop.hidden);
    },
    before,
    { timeout: 30_000 },
  );
  return lastAnswer(chat).locator('.turn-answer').innerText();
}

export async function modelGroups(chat: Frame): Promise<{ label: string | null; models: (string | undefined)[] }[]> {
  return chat.locator('select[aria-label="Model"] optgroup').evaluateAll((nodes) =>
    nodes.map((node) => ({ label: node.getAttribute('label'), models: [...node.querySelectorAll('option')].map((o) => o.textContent?.trim()) })),
  );
}

/** Starts a new chat and waits until the old conversation has left the view. */
export async function newChat(chat: Frame): Promise<void> {
  await chat.getByRole('button', { name: 'New Chat', exact: true }).click();
  await chat.waitForFunction(() => document.querySelectorAll('article.turn').length === 0, undefined, { timeout: 15_000 });
}
