/** The same editing flow with JavaScript turned off: plain forms do everything htmx would. */
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { insertAfterFirstParagraph, rewordFirstLine, useWiki } from './fixture.js';

const wiki = useWiki();

describe('editing without JavaScript', () => {
  it('previews with the button, saves, and compares revisions from the history', async () => {
    const { page } = await wiki.visit({ javaScriptEnabled: false });
    await page.goto('/wiki/Email_standards?action=edit');
    const original = await page.locator('#source').inputValue();
    const edited = insertAfterFirstParagraph(
      rewordFirstLine(original, ' are the open technical rules', ' are the public technical rules'),
      'Written *without JavaScript*: the plain form works on its own.',
    );
    await page.locator('#source').fill(edited);
    await page.locator('#summary').fill('No-JS edit');

    // Show preview: a full round trip that keeps the text and summary and renders the preview.
    await page.getByRole('button', { name: 'Show preview' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').innerText()).toBe('Editing Email standards');
    expect(await page.locator('#live-preview em', { hasText: 'without JavaScript' }).count()).toBe(1);
    expect(await page.locator('#source').inputValue()).toBe(edited);
    expect(await page.locator('#summary').inputValue()).toBe('No-JS edit');
    await screenshot(page, 'nojs-preview');

    await page.getByRole('button', { name: 'Save changes' }).click();
    // Without JavaScript the address keeps ?saved=1, the notice's (peerwiki.js takes it off otherwise).
    await page.waitForURL(/\/wiki\/Email_standards\?saved=1$/);
    expect(await page.locator('.saved-notice').innerText()).toBe('Your edit was saved.');
    const body = page.locator('.page-body');
    expect(await body.locator('p').first().innerText()).toContain('are the public technical rules');
    expect(await body.locator('em', { hasText: 'without JavaScript' }).count()).toBe(1);

    // History → Compare is a plain GET form that lands on the diff page.
    await page.goto('/wiki/Email_standards?action=history');
    expect(await page.locator('ul.history > li').count()).toBe(2);
    await page.getByRole('button', { name: 'Compare selected revisions' }).first().click();
    await page.waitForURL(/[?&]diff=\d+/);
    const url = new URL(page.url());
    expect(url.searchParams.get('oldid')).toMatch(/^\d+$/);
    expect(await page.locator('h1').innerText()).toBe('Email standards: difference between revisions');
    const table = page.locator('#diff-view > table.diff');
    expect(await table.locator('del').first().innerText()).toBe('open');
    expect(await table.locator('ins').first().innerText()).toBe('public');
  });

  it('creates a page from a red link', async () => {
    const { page } = await wiki.visit({ javaScriptEnabled: false });
    await page.goto('/wiki/Peer_network');
    await page.locator('.page-body a.new', { hasText: 'Mesh networking' }).click();
    await page.waitForURL(/\/wiki\/Mesh_networking\?action=edit/);
    await page.locator('#source').fill('A **mesh network** connects its nodes directly to one another.\n');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/wiki\/Mesh_networking\?saved=1$/);
    expect(await page.locator('.page-body strong').innerText()).toBe('mesh network');

    // The link that was red is blue now.
    await page.goto('/wiki/Peer_network');
    const link = page.locator('.page-body a', { hasText: 'Mesh networking' });
    expect(await link.evaluate((a) => a.classList.contains('new'))).toBe(false);
    expect(await link.getAttribute('href')).toBe('/wiki/Mesh_networking');
  });
});
