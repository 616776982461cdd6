/** Watching a page: the star swaps in place with htmx, works as a plain form without JavaScript, and feeds the watchlist. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useWiki } from './fixture.js';

const wiki = useWiki();

let accounts = 0;

/** Register a fresh account through the form (which logs it in). */
async function register(page: Page): Promise<void> {
  accounts += 1;
  await page.goto('/register');
  await page.locator('input[name="username"]').fill(`Watcher ${accounts} ${Date.now()}`);
  await page.locator('input[name="password"]').fill('a long enough password');
  await page.locator('input[name="password_confirm"]').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForLoadState('load');
}

describe('the watch star', () => {
  it('with htmx, swaps just the star without leaving the page, and the watchlist shows the page', async () => {
    const { page } = await wiki.visit();
    await register(page);
    await page.goto('/wiki/Peer_network');
    // A marker that a full page load would wipe out.
    await page.locator('h1').evaluate((h1) => h1.setAttribute('data-still-here', 'yes'));
    const star = page.locator('form.watch-star button');
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await page.locator('form.watch-star.watched').waitFor();
    expect(await page.locator('h1').getAttribute('data-still-here')).toBe('yes');
    expect(await page.locator('form.watch-star button').getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/wiki/Peer_network');

    await page.goto('/special/watchlist');
    expect(await page.locator('ul.watchlist a.page', { hasText: 'Peer network' }).count()).toBeGreaterThan(0);

    // And off again.
    await page.goto('/wiki/Peer_network');
    await page.locator('form.watch-star button').click();
    await page.locator('form.watch-star:not(.watched)').waitFor();
  });

  it('without JavaScript, posts the form and comes back to the page with the filled star', async () => {
    const { page } = await wiki.visit({ javaScriptEnabled: false });
    await register(page);
    await page.goto('/wiki/Peer_network');
    await page.locator('form.watch-star button').click();
    await page.waitForURL(/\/wiki\/Peer_network$/);
    await page.waitForLoadState('load');
    expect(await page.locator('form.watch-star button').getAttribute('aria-pressed')).toBe('true');
  });

  it('is not offered to readers who are not logged in', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Peer_network');
    expect(await page.locator('form.watch-star').count()).toBe(0);
    const res = await page.goto('/special/watchlist');
    expect(res?.status()).toBe(401);
  });
});
