/** Two people editing the same page at once: overlapping changes conflict, separate ones merge. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { documentWidth, rewordFirstLine, useWiki } from './fixture.js';

const wiki = useWiki();

async function openEditForm(page: Page, path: string): Promise<string> {
  await page.goto(`${path}?action=edit`);
  return page.locator('#source').inputValue();
}

async function save(page: Page, source: string, summary: string): Promise<void> {
  await page.locator('#source').fill(source);
  await page.locator('#summary').fill(summary);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForLoadState('load');
}

describe('edit conflicts', () => {
  it('shows the second saver a conflict notice with their own text kept, and lets them save after', async () => {
    const alice = (await wiki.visit()).page;
    const bob = (await wiki.visit()).page;
    const original = await openEditForm(alice, '/wiki/Wikipedia');
    expect(await openEditForm(bob, '/wiki/Wikipedia')).toBe(original);

    const alicesText = rewordFirstLine(original, ' is a free online encyclopedia', ' is a free, multilingual online encyclopedia');
    const bobsText = rewordFirstLine(original, ' is a free online encyclopedia', ' is an open online reference work');

    await save(alice, alicesText, 'Alice: multilingual');
    expect(new URL(alice.url()).pathname).toBe('/wiki/Wikipedia');
    expect(await alice.locator('.page-body p').first().innerText()).toContain('free, multilingual online encyclopedia');

    const response = bob.waitForResponse((r) => r.request().method() === 'POST');
    await save(bob, bobsText, 'Bob: open reference work');
    expect((await response).status()).toBe(409);
    expect(await bob.locator('h1').innerText()).toBe('Edit conflict: Wikipedia');
    const notice = bob.locator('.conflict-notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.innerText()).toContain('Someone else saved this page while you were editing');
    // Bob's words are where he left them; Alice's are shown below, with the differences.
    expect(await bob.locator('#source').inputValue()).toBe(bobsText);
    expect(await bob.locator('#summary').inputValue()).toBe('Bob: open reference work');
    expect(await bob.locator('.conflict-current textarea').inputValue()).toBe(alicesText);
    const diff = bob.locator('.conflict-current table.diff').first();
    expect(await diff.locator('ins').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('open')]));
    expect(await diff.locator('del').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('multilingual')]));
    await screenshot(bob, 'conflict');

    // Bob brings over Alice's word and saves again: now on top of her revision, so it goes through.
    const resolved = rewordFirstLine(original, ' is a free online encyclopedia', ' is an open, multilingual online reference work');
    await save(bob, resolved, 'Bob: merged with Alice');
    expect(new URL(bob.url()).pathname).toBe('/wiki/Wikipedia');
    expect(await bob.locator('.page-body p').first().innerText()).toContain('open, multilingual online reference work');

    await bob.goto('/wiki/Wikipedia?action=history');
    expect(await bob.locator('ul.history > li .comment').allInnerTexts()).toEqual([
      '(Bob: merged with Alice)',
      '(Alice: multilingual)',
      '(Starter article)',
    ]);
  });

  it('resolves a conflict hunk by hunk: "Keep theirs" saves the other person\'s words', async () => {
    const alice = (await wiki.visit()).page;
    const bob = (await wiki.visit()).page;
    const original = await openEditForm(alice, '/wiki/Peer_learning');
    await openEditForm(bob, '/wiki/Peer_learning');
    await save(alice, rewordFirstLine(original, ' is learning ', ' is the learning '), 'Alice: the learning');
    await save(bob, rewordFirstLine(original, ' is learning ', ' means learning '), 'Bob: means');
    expect(await bob.locator('h1').innerText()).toBe('Edit conflict: Peer learning');

    const hunk = bob.locator('fieldset.merge-hunk').first();
    expect(await hunk.locator('pre.merge-mine').innerText()).toContain('means learning');
    expect(await hunk.locator('pre.merge-theirs').innerText()).toContain('is the learning');
    // The resolver fits the page: long lines wrap instead of widening it.
    expect(await documentWidth(bob)).toBeLessThanOrEqual(1280);
    await hunk.getByLabel('Keep theirs').check();
    await screenshot(bob, 'conflict-resolver');
    await bob.getByRole('button', { name: 'Save the merged text' }).click();
    await bob.waitForURL(/\/wiki\/Peer_learning$/);
    expect(await bob.locator('.page-body p').first().innerText()).toContain('Peer learning is the learning');
  });

  it('merges two edits of different parts of the page without asking', async () => {
    const alice = (await wiki.visit()).page;
    const bob = (await wiki.visit()).page;
    const original = await openEditForm(alice, '/wiki/World_Wide_Web');
    await openEditForm(bob, '/wiki/World_Wide_Web');

    await save(alice, rewordFirstLine(original, ' is a system ', ' is a global system '), 'Alice: global');
    await save(bob, `${original.trimEnd()}\n\nA closing sentence from the second editor.\n`, 'Bob: closing sentence');

    expect(new URL(bob.url()).pathname).toBe('/wiki/World_Wide_Web');
    expect(await bob.locator('.conflict-notice').count()).toBe(0);
    const text = await bob.locator('.page-body').innerText();
    expect(text).toContain('is a global system');
    expect(text).toContain('A closing sentence from the second editor.');
  });
});
