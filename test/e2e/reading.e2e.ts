/** Reading the wiki: the Main Page, red links, missing pages, search and its suggestions, small screens. */
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { computed, documentWidth, focused, styleOf, useWiki } from './fixture.js';

const wiki = useWiki();

describe('reading pages', () => {
  it('shows the Main Page with its title, contents box, working links and "last edited" footer', async () => {
    const { page } = await wiki.visit();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/wiki/Main_Page');
    expect(await page.title()).toBe('Main Page — Peerwiki');
    expect(await page.locator('h1').innerText()).toBe('Main Page');

    // The stylesheet is applied (system font, hidden helpers really hidden, empty suggestions not shown).
    expect(await styleOf(page, 'body', 'font-family')).toContain('system-ui');
    expect(await page.locator('#search-suggestions').isVisible()).toBe(false);
    expect(await page.locator('.skip-link').isVisible()).toBe(true); // on the page, but off screen
    const skip = await page.locator('.skip-link').boundingBox();
    expect(skip!.y + skip!.height).toBeLessThan(0);

    // The Read tab is the current one.
    expect(await page.locator('.action-tabs li.selected a').innerText()).toBe('Read');
    expect(await page.locator('.action-tabs li.selected a').getAttribute('aria-current')).toBe('page');

    // A table of contents whose entries lead to the headings.
    const toc = page.locator('nav.toc');
    expect(await toc.isVisible()).toBe(true);
    expect(await toc.locator('h2').innerText()).toBe('Contents');
    const entries = await toc.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const [, href] of entries) expect(await page.locator(`.page-body ${href}`).count()).toBe(1);
    await toc.locator('a').nth(1).click();
    expect(new URL(page.url()).hash).toBe(entries[1]![1]);

    // The footer says when and by whom.
    const lastEdited = page.locator('.site-footer .last-edited');
    expect(await lastEdited.innerText()).toMatch(/^This page was last edited \d\d:\d\d, \d+ \w+ \d{4} by \S+\.$/);
    expect(await lastEdited.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);

    await screenshot(page, 'main-page');

    // A link in the article body leads to that article.
    await page.locator('.page-body a', { hasText: /^Peer network$/ }).first().click();
    await page.waitForURL(/\/wiki\/Peer_network$/);
    expect(await page.locator('h1').innerText()).toBe('Peer network');
    // Footnotes are set smaller than the text.
    const noteSize = parseFloat(await styleOf(page, 'section.footnotes', 'font-size'));
    const textSize = parseFloat(await styleOf(page, '.page-body > p', 'font-size'));
    expect(noteSize).toBeLessThan(textSize);
    expect(await page.locator('.catlinks').isVisible()).toBe(true);
  });

  it('shows a red link in red, and following it opens the form to create that page', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Peer_network');
    const red = page.locator('.page-body a.new', { hasText: 'Mesh networking' });
    expect(await red.getAttribute('title')).toBe('Mesh networking (page does not exist)');
    expect(await computed(red, 'color')).toBe('rgb(186, 0, 0)');
    const blue = await computed(page.locator('.page-body a:not(.new):not(.external)', { hasText: 'Internet standards' }), 'color');
    const [r, , b] = blue.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(b).toBeGreaterThan(r); // a blue link is bluer than it is red

    await red.click();
    await page.waitForURL(/\/wiki\/Mesh_networking\?action=edit/);
    expect(await page.locator('h1').innerText()).toBe('Creating Mesh networking');
    expect(await page.locator('#source').inputValue()).toBe('');
    expect(await page.locator('.action-tabs li.selected a').innerText()).toBe('Create');
    expect(await page.locator('.anon-notice').isVisible()).toBe(true);
    // The textarea's label is there for screen readers only.
    const label = await page.locator('label[for="source"].visually-hidden').boundingBox();
    expect(label === null || (label.width <= 1 && label.height <= 1)).toBe(true);
  });

  it('answers a missing page with 404 and a "Create this page" button', async () => {
    const { page } = await wiki.visit();
    const response = await page.goto('/wiki/No_such_page');
    expect(response?.status()).toBe(404);
    expect(await page.locator('.missing-page').innerText()).toContain('There is no page called No such page yet.');
    await page.getByRole('link', { name: 'Create this page' }).click();
    await page.waitForURL(/\/wiki\/No_such_page\?action=edit$/);
    expect(await page.locator('h1').innerText()).toBe('Creating No such page');
  });

  it('finds pages by their words, with the words highlighted', async () => {
    const { page } = await wiki.visit();
    await page.goto('/special/search?q=network&fulltext=1');
    const results = page.locator('ol.search-results > li');
    expect(await results.count()).toBeGreaterThan(3);
    expect(await results.first().locator('mark').first().innerText()).toMatch(/^network/i);
    expect(await styleOf(page, '.excerpt mark', 'background-color')).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('suggests titles under the search box, with arrow keys to move and Escape to close', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Main_Page');
    const input = page.locator('.site-header input[type="search"]');
    const box = page.locator('#search-suggestions');
    await input.click();
    await input.pressSequentially('Peer', { delay: 20 });
    await box.locator('a').first().waitFor();
    expect(await box.locator('a').allInnerTexts()).toContain('Peer network');
    const inputBox = (await input.boundingBox())!;
    const listBox = (await box.boundingBox())!;
    expect(listBox.y).toBeGreaterThanOrEqual(inputBox.y + inputBox.height - 1);
    expect(Math.abs(listBox.x - inputBox.x)).toBeLessThan(2);
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'search-suggestions');

    const focusedText = async () => (await focused(page)).text;
    const first = await box.locator('a').first().innerText();
    const second = await box.locator('a').nth(1).innerText();
    await page.keyboard.press('ArrowDown');
    expect(await focusedText()).toBe(first);
    expect(await box.locator('[aria-selected="true"]').innerText()).toBe(first);
    await page.keyboard.press('ArrowDown');
    expect(await focusedText()).toBe(second);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect((await focused(page)).type).toBe('search');

    await page.keyboard.press('Escape');
    expect(await box.isVisible()).toBe(false);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await input.inputValue()).toBe('Peer'); // Escape closed the list, it did not clear the box

    // Typing again brings the list back; Enter on a suggestion opens that page.
    await input.pressSequentially(' n', { delay: 20 });
    await expect.poll(() => box.locator('a').first().innerText()).toBe('Peer network');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/wiki\/Peer_network$/);

    // Leaving the search box closes the list.
    await input.pressSequentially('Peer', { delay: 20 });
    await box.locator('a').first().waitFor();
    await page.locator('.site-footer').click({ position: { x: 5, y: 5 } });
    expect(await box.isVisible()).toBe(false);
  });

  it('fits a 360 px wide screen: nothing sticks out, the tabs wrap', async () => {
    const { page } = await wiki.visit({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    for (const path of ['/wiki/Main_Page', '/wiki/Help:Markdown', '/wiki/Peer_network?action=history', '/wiki/Peer_network?action=edit']) {
      await page.goto(path);
      const width = await documentWidth(page);
      expect(width, `page width of ${path}`).toBeLessThanOrEqual(360);
    }
    await page.goto('/wiki/Main_Page');
    const tabs = await page.locator('.page-tabs a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().right));
    expect(Math.max(...tabs)).toBeLessThanOrEqual(360);
    await screenshot(page, 'main-page-mobile');
  });

  it('follows the reader\'s dark colour scheme', async () => {
    const { page } = await wiki.visit({ colorScheme: 'dark' });
    await page.goto('/wiki/Peer_network');
    const bg = await styleOf(page, '.content', 'background-color');
    const [r, g, b] = bg.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(r + g + b).toBeLessThan(150);
    await screenshot(page, 'peer-network-dark');
  });
});
