/** Editing with JavaScript on: live preview through htmx, saving, history, compare, diffs, section edits. */
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { computed, documentWidth, insertAfterFirstParagraph, rewordFirstLine, useWiki } from './fixture.js';

const wiki = useWiki();
const NEW_PARAGRAPH = 'This paragraph was written by a **browser test**, with a link to [[Peer network]].';

describe('editing a page through the form', () => {
  let diffUrl = '';

  it('previews as you type, saves, and shows the new text', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Peer_learning');
    await page.locator('.action-tabs a', { hasText: 'Edit' }).click();
    await page.waitForURL(/\/wiki\/Peer_learning\?action=edit$/);
    expect(await page.locator('h1').innerText()).toBe('Editing Peer learning');
    expect(await page.locator('#live-preview').innerText()).toBe('The preview updates as you type.');

    const textarea = page.locator('#source');
    const before = await textarea.inputValue();
    expect(before).toMatch(/^\*\*Peer learning\*\* is /);
    const after = insertAfterFirstParagraph(rewordFirstLine(before, ' is ', ' was '), NEW_PARAGRAPH);
    await textarea.fill(after);

    // htmx posts the text (with the CSRF header) and swaps the rendered Markdown in: proof that
    // htmx runs under the CSP.
    const preview = page.locator('#live-preview');
    await preview.locator('strong', { hasText: 'browser test' }).waitFor();
    const added = preview.locator('p', { hasText: 'browser test' });
    expect(await added.locator('a').getAttribute('href')).toBe('/wiki/Peer_network');
    expect(await preview.locator('p').first().innerText()).toMatch(/^Peer learning was learning/);
    expect(await textarea.inputValue()).toBe(after); // the swap left the text alone
    await page.locator('#summary').fill('Browser test: reword and add a paragraph');
    await screenshot(page, 'edit-preview');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/wiki\/Peer_learning$/);
    const body = page.locator('.page-body');
    expect(await body.locator('p').first().innerText()).toMatch(/^Peer learning was learning/);
    expect(await body.locator('strong', { hasText: 'browser test' }).count()).toBe(1);
    expect(await page.locator('.site-footer .last-edited').innerText()).toMatch(/by ~\S+\.$/);
    expect(await page.locator('.user-links .temp-user').innerText()).toMatch(/^~/);
  });

  it('lists both revisions in the history, and Compare shows the changed words', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Peer_learning');
    await page.locator('.action-tabs a', { hasText: 'History' }).click();
    await page.waitForURL(/action=history$/);
    const rows = page.locator('ul.history > li');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('.comment').innerText()).toBe('(Browser test: reword and add a paragraph)');
    expect(await rows.nth(0).locator('a.user').innerText()).toMatch(/^~/);
    expect(await rows.nth(0).locator('.delta-pos').innerText()).toMatch(/^\+\d+$/);
    expect(await rows.nth(1).locator('.comment').innerText()).toBe('(Starter article)');
    expect(await rows.nth(1).locator('.tag').innerText()).toBe('new');
    // The newest is "to", the one before it "from".
    expect(await rows.nth(0).locator('input[name="diff"]').isChecked()).toBe(true);
    expect(await rows.nth(1).locator('input[name="oldid"]').isChecked()).toBe(true);
    await screenshot(page, 'history');

    // With htmx the comparison appears on the history page itself.
    await page.getByRole('button', { name: 'Compare selected revisions' }).first().click();
    const result = page.locator('#compare-result');
    await result.locator('table.diff').first().waitFor();
    expect(await result.locator('del').first().innerText()).toBe('is');
    expect(await result.locator('ins').first().innerText()).toBe('was');
    expect(await result.locator('td.diff-added', { hasText: 'browser test' }).count()).toBe(1);

    // The "prev" link of the newest row is the diff page itself.
    await rows.nth(0).locator('.links a', { hasText: 'prev' }).click();
    await page.waitForURL(/\?diff=\d+&oldid=\d+$/);
    diffUrl = page.url();
  });

  it('shows the diff side by side and inline, marking removed and added words', async () => {
    expect(diffUrl, 'the previous test saves an edit and finds its diff').not.toBe('');
    const { page } = await wiki.visit();
    await page.goto(diffUrl);
    expect(await page.locator('h1').innerText()).toBe('Peer learning: difference between revisions');
    const table = page.locator('#diff-view > table.diff-side');
    expect(await table.isVisible()).toBe(true);
    const del = table.locator('td.diff-deleted del').first();
    const ins = table.locator('td.diff-added ins').first();
    expect(await del.innerText()).toBe('is');
    expect(await ins.innerText()).toBe('was');
    // Word highlights stand out from their line's background.
    const lineBg = await computed(table.locator('td.diff-added').first(), 'background-color');
    const wordBg = await computed(ins, 'background-color');
    expect(wordBg).not.toBe(lineBg);
    expect(await computed(del, 'background-color')).not.toBe(wordBg);
    // The two halves are the same width (fixed layout).
    const halves = await table.locator('tr.diff-change').first().locator('td.diff-text').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().width));
    expect(Math.abs(halves[0]! - halves[1]!)).toBeLessThan(2);
    // Unchanged runs fold away and open on request.
    const fold = table.locator('tr.diff-fold details').first();
    if ((await fold.count()) > 0) {
      await fold.locator('summary').click();
      expect(await fold.locator('tr.diff-context').first().isVisible()).toBe(true);
    }
    await screenshot(page, 'diff');

    await page.getByRole('link', { name: 'Inline view' }).click();
    await page.waitForURL(/view=inline$/);
    const inline = page.locator('#diff-view > table.diff-inline');
    expect(await inline.locator('del').first().innerText()).toBe('is');
    expect(await inline.locator('ins').first().innerText()).toBe('was');
    await screenshot(page, 'diff-inline');
  });

  it('stacks the diff on a 360 px screen: older above newer, nothing off-screen', async () => {
    expect(diffUrl).not.toBe('');
    const { page } = await wiki.visit({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    await page.goto(diffUrl);
    expect(await documentWidth(page)).toBeLessThanOrEqual(360);
    const scroller = await page.locator('#diff-view').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroller.scroll).toBeLessThanOrEqual(scroller.client);
    // Every changed line inside the screen; where a row has both halves, the older above the newer.
    const cells = await page.locator('#diff-view tr.diff-change').evaluateAll((rows) => rows.map((row) =>
      [...row.querySelectorAll('td.diff-text')].map((td) => td.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ y: r.y, right: r.right }))));
    expect(cells.length).toBeGreaterThan(0);
    for (const row of cells) {
      for (const cell of row) expect(cell.right).toBeLessThanOrEqual(360);
      if (row.length === 2) expect(row[1]!.y).toBeGreaterThan(row[0]!.y);
    }
    await screenshot(page, 'diff-mobile');
  });

  it('edits one section through the "edit" link beside its heading', async () => {
    const { page } = await wiki.visit();
    await page.goto('/wiki/Open_source_software');
    const headings = await page.locator('.page-body h2:not(#toc-title)').count();
    const link = page.locator('.page-body h2 .editsection a').nth(1);
    const label = (await link.getAttribute('aria-label'))!;
    const heading = label.replace(/^Edit section: /, '');
    await link.click();
    await page.waitForURL(/action=edit&section=2$/);
    expect(await page.locator('h1').innerText()).toBe('Editing Open source software (section 2)');

    const textarea = page.locator('#source');
    const section = await textarea.inputValue();
    expect(section.startsWith(`## ${heading}\n`)).toBe(true);
    expect(section).not.toContain('\n## '); // only this section (and its subsections, if any, are ###)
    await textarea.fill(`${section.trimEnd()}\n\nA sentence added by editing only this section.\n\n`);
    await page.locator('#live-preview h2', { hasText: heading }).waitFor();
    await page.locator('#summary').fill('Section edit');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/wiki\/Open_source_software(#.*)?$/);

    // The new sentence sits under that heading; every other section is still there.
    expect(await page.locator('.page-body h2:not(#toc-title)').count()).toBe(headings);
    const under = await page.locator('.page-body p', { hasText: 'A sentence added by editing only this section.' }).evaluate((p) => {
      let el = p.previousElementSibling;
      while (el && el.tagName !== 'H2') el = el.previousElementSibling;
      return el?.id as string | undefined;
    });
    expect(under).toBe(await page.locator('.page-body h2', { hasText: heading }).getAttribute('id'));
    expect(await page.locator('.page-body > p').first().innerText()).toMatch(/^Open source software is /);
  });
});
