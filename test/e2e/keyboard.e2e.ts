/** Keyboard alone: comparing revisions with the history's radios, and resolving a conflict hunk by hunk. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { submitted, useWiki } from './fixture.js';

const wiki = useWiki();

/** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function save(page: Page, path: string, text: string): Promise<void> {
  await page.goto(`${path}?action=edit`);
  await page.locator('#source').fill(text);
  expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
}

describe('with the keyboard alone', () => {
  it('compares two revisions from the history: radios chosen with the arrow keys, the button with Enter', async () => {
    const { page } = await wiki.visit();
    for (const n of [1, 2, 3]) await save(page, '/wiki/Keys', `Version ${n} of the text.`);
    await page.goto('/wiki/Keys?action=history');
    const ids = (await page.locator('input[name="oldid"]').evaluateAll((inputs) => inputs.map((i) => Number((i as unknown as { value: string }).value)))).sort((a, b) => a - b);
    // The "from" group starts at the second newest; move it to the oldest with the arrow key.
    await tabTo(page, 'input[name="oldid"]:checked');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="oldid"]:checked').inputValue()).toBe(String(ids[0]));
    await tabTo(page, 'form.history-compare button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.locator('#compare-result table.diff').waitFor();
    expect(await page.locator('#compare-result').innerText()).toContain('Version 1');
    expect(await page.locator('#compare-result').innerText()).toContain('Version 3');
  });

  it('resolves an edit conflict hunk by hunk: keep theirs with an arrow key, save with Enter', async () => {
    const { page } = await wiki.visit();
    await save(page, '/wiki/Clash', 'First line.\nSecond line.\nThird line.');
    await page.goto('/wiki/Clash?action=edit');
    // Someone else changes the first line meanwhile.
    const { page: other } = await wiki.visit();
    await save(other, '/wiki/Clash', 'First line, theirs.\nSecond line.\nThird line.');
    await page.locator('#source').fill('First line, mine.\nSecond line.\nThird line.');
    expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(409);
    await tabTo(page, 'input[name="choice-0"]:checked');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="choice-0"]:checked').inputValue()).toBe('theirs');
    await tabTo(page, 'button[value="resolve"]');
    expect(await submitted(page, () => page.keyboard.press('Enter'))).toBe(303);
    await page.goto('/wiki/Clash?action=raw');
    expect(await page.locator('body').innerText()).toBe('First line, theirs.\nSecond line.\nThird line.');
  });
});
