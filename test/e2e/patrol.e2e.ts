/** Fighting vandalism as an admin: recent changes, the review queue (htmx in place), undo and rollback, with and without JavaScript. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { submitted } from './fixture.js';
import { useWikiWithAdmin } from './users.js';

const wiki = useWikiWithAdmin();
const VANDAL_TEXT = 'lol this page is gone';

/** A logged-out editor replaces the whole page with a few words; returns the text it had. */
async function blank(page: Page, path: string, text = VANDAL_TEXT): Promise<string> {
  await page.goto(`${path}?action=edit`);
  const original = await page.locator('#source').inputValue();
  await page.locator('#source').fill(text);
  expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
  expect(await page.locator('.page-body').innerText()).toBe(text);
  return original;
}

/** The text of a page's first paragraph in its Markdown source (up to the first blank line). */
function firstParagraph(source: string): string {
  return source.split('\n\n')[0]!;
}

/** Marks that a full page load would wipe out: proof that htmx swapped in place. */
async function markDocument(page: Page): Promise<void> {
  await page.locator('h1').evaluate((h1) => h1.setAttribute('data-still-here', 'yes'));
}
async function sameDocument(page: Page): Promise<boolean> {
  return (await page.locator('h1').getAttribute('data-still-here')) === 'yes';
}

describe('patrolling with JavaScript', () => {
  it('shows a blanking in recent changes and first in the review queue; diff and "Mark reviewed" work in place; undo from the history restores the text', async () => {
    const { page: vandal } = await wiki.visit();
    const original = await blank(vandal, '/wiki/Peer_progressivism');
    const vandalName = await vandal.locator('.user-links .temp-user').innerText();

    const { page } = await wiki.admin();

    // Recent changes: the newest row is the blanking, tagged, with its risk and (for admins) the IP.
    await page.goto('/special/recent-changes');
    const row = page.locator('ul.changes > li').first();
    expect(await row.locator('a', { hasText: 'Peer progressivism' }).count()).toBe(1);
    expect(await row.locator('a.user').innerText()).toBe(vandalName);
    expect(await row.locator('.tag-blanking').innerText()).toBe('blanking');
    const badge = row.locator('.risk');
    expect(await badge.innerText()).toMatch(/^risk \d+: .*blanks the page/);
    expect(await badge.evaluate((b) => b.classList.contains('risk-high'))).toBe(true);
    expect(await badge.getAttribute('title')).toContain('blanks the page');
    expect(await row.locator('.delta-neg').innerText()).toMatch(/^−[\d,]+$/);
    expect(await row.locator('.ip').innerText()).toMatch(/127\.0\.0\.1$/);
    await screenshot(page, 'recent-changes');

    // The review queue: the blanking comes first (riskiest).
    await page.goto('/special/review');
    const item = page.locator('ol.review-queue > li.review-item').first();
    expect(await item.locator('a', { hasText: 'Peer progressivism' }).count()).toBe(1);
    expect(await item.locator('.tag-blanking').count()).toBe(1);
    expect(await item.locator('.risk').innerText()).toMatch(/^risk \d+/);
    const itemId = (await item.getAttribute('id'))!;
    expect(itemId).toMatch(/^review-\d+$/);
    const revId = itemId.slice('review-'.length);
    await screenshot(page, 'review-queue');

    // "Show diff": htmx fetches the diff page and puts its diff under the item, without leaving.
    await markDocument(page);
    await item.getByRole('link', { name: 'Show diff' }).click();
    const diff = page.locator(`#review-diff-${revId}`);
    await diff.locator('table.diff').first().waitFor();
    expect(await sameDocument(page)).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/special/review');
    expect(await diff.locator('td.diff-deleted').first().innerText()).toContain(firstParagraph(original).slice(0, 40));
    expect(await diff.locator('td.diff-added').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(VANDAL_TEXT)]));

    // "Mark reviewed": the item is replaced in place.
    await item.getByRole('button', { name: 'Mark reviewed' }).click();
    const reviewed = page.locator(`#${itemId}.reviewed`);
    await reviewed.waitFor();
    expect(await reviewed.innerText()).toBe(`Reviewed: Peer progressivism, revision ${revId}.`);
    expect(await sameDocument(page)).toBe(true);
    expect(await page.locator(`#${itemId}`).count()).toBe(1);
    await page.reload();
    expect(await page.locator(`#${itemId}`).count()).toBe(0);

    // Undo from the history: htmx opens the confirmation in place, with the diff and a summary.
    await page.goto('/wiki/Peer_progressivism?action=history');
    await markDocument(page);
    const bad = page.locator('ul.history > li').first();
    expect(await bad.locator('a.date').getAttribute('href')).toBe(`/wiki/Peer_progressivism?oldid=${revId}`);
    await bad.locator('a.action-undo').click();
    const panel = bad.locator('.revert-panel');
    await panel.waitFor();
    expect(await sameDocument(page)).toBe(true);
    expect(await panel.locator('table.diff').count()).toBe(1);
    expect(await panel.locator('input[name="summary"]').inputValue()).toMatch(new RegExp(`^Undid revision ${revId} by `));
    await panel.locator('input[name="summary"]').fill('Undo: vandalism');
    expect(await submitted(page, () => panel.getByRole('button', { name: 'Undo this change' }).click())).toBe(303);
    await page.waitForURL(/\/wiki\/Peer_progressivism$/);
    const body = page.locator('.page-body');
    await body.locator('p').first().waitFor();
    expect(await body.innerText()).not.toContain(VANDAL_TEXT);
    expect(await body.locator('p').first().innerText()).toMatch(/^Peer progressivism /);

    await page.goto('/wiki/Peer_progressivism?action=history');
    const rows = page.locator('ul.history > li');
    expect(await rows.nth(0).locator('.tag').allInnerTexts()).toContain('undo');
    expect(await rows.nth(1).locator('.tag').allInnerTexts()).toContain('reverted');
  });

  it('rolls back a run of edits from the diff page; the history tags them "rollback" and "reverted"', async () => {
    const { page: vandal } = await wiki.visit();
    await vandal.goto('/wiki/World_Wide_Web');
    const before = await vandal.locator('.page-body > p').first().innerText();
    for (const spam of ['Buy cheap watches at example.com!', 'Really, buy them now!']) {
      await vandal.goto('/wiki/World_Wide_Web?action=edit');
      await vandal.locator('#source').fill(`${spam}\n\n${await vandal.locator('#source').inputValue()}`);
      expect(await submitted(vandal, () => vandal.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
    }
    const vandalName = await vandal.locator('.user-links .temp-user').innerText();

    const { page } = await wiki.admin();
    await page.goto('/wiki/World_Wide_Web?action=history');
    await page.locator('ul.history > li').first().locator('.links a', { hasText: 'prev' }).click();
    await page.waitForURL(/\?diff=\d+&oldid=\d+$/);
    const rollback = page.locator('#diff-view .diff-options a.action-rollback');
    expect(await rollback.innerText()).toBe('rollback');
    await rollback.click();
    const panel = page.locator('#diff-view .revert-panel');
    await panel.waitFor();
    expect(await panel.innerText()).toContain(vandalName);
    expect(await submitted(page, () => panel.getByRole('button', { name: 'Roll back' }).click())).toBe(303);
    await page.waitForURL(/\/wiki\/World_Wide_Web$/);
    await page.locator('.page-body p').first().waitFor();
    expect(await page.locator('.page-body').innerText()).not.toContain('cheap watches');
    expect(await page.locator('.page-body > p').first().innerText()).toBe(before);

    await page.goto('/wiki/World_Wide_Web?action=history');
    const rows = page.locator('ul.history > li');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(0).locator('.tag').allInnerTexts()).toContain('rollback');
    for (const i of [1, 2]) {
      expect(await rows.nth(i).locator('.tag').allInnerTexts()).toContain('reverted');
      expect(await rows.nth(i).evaluate((li) => li.classList.contains('reverted'))).toBe(true);
    }
    expect(await rows.nth(3).locator('.tag').allInnerTexts()).not.toContain('reverted');
    await screenshot(page, 'history-after-rollback');
  });
});

describe('undo without JavaScript', () => {
  it('goes through a confirmation page with the diff and a button, and restores the text', async () => {
    const { page: vandal } = await wiki.visit({ javaScriptEnabled: false });
    await blank(vandal, '/wiki/Neighbourhood_peer_networks');

    const { page } = await wiki.admin({ javaScriptEnabled: false });
    await page.goto('/wiki/Neighbourhood_peer_networks?action=history');
    const bad = page.locator('ul.history > li').first();
    const revId = (await bad.locator('a.date').getAttribute('href'))!.replace(/^.*oldid=/, '');
    await bad.locator('a.action-undo').click();
    await page.waitForURL(new RegExp(`\\?action=undo&rev=${revId}$`));
    expect(await page.locator('h1').innerText()).toBe('Undo: "Neighbourhood peer networks"');
    expect(await page.locator('.content').innerText()).toContain(`This removes the change made in revision ${revId} by`);
    const table = page.locator('table.diff');
    expect(await table.locator('td.diff-deleted').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(VANDAL_TEXT)]));
    expect(await table.locator('td.diff-added').first().innerText()).toMatch(/^\*\*Neighbou?rhood peer networks\*\*/);
    expect(await page.locator('#summary').inputValue()).toMatch(new RegExp(`^Undid revision ${revId} by ~`));
    await screenshot(page, 'undo-confirm');

    expect(await submitted(page, () => page.getByRole('button', { name: 'Undo this change' }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/wiki/Neighbourhood_peer_networks');
    expect(await page.locator('.page-body').innerText()).not.toContain(VANDAL_TEXT);
    expect(await page.locator('.page-body p').first().innerText()).toMatch(/^Neighbou?rhood peer networks /);
  });
});
