/** An admin (made with the CLI) protects a page and blocks an address; a logged-out editor sees why a save is refused. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { submitted } from './fixture.js';
import { useWikiWithAdmin } from './users.js';

const wiki = useWikiWithAdmin();

/** Clicks Save changes and returns the status of the POST, once the next page has loaded. */
function saveStatus(page: Page): Promise<number> {
  return submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click());
}

describe('protecting a page', () => {
  it('the admin protects through the "More" menu; a logged-out save is refused with the text kept; unprotecting lets it through', async () => {
    const { page: admin } = await wiki.admin();
    const { page: anon } = await wiki.visit();

    // The logged-out editor opens the form before the page is protected and types.
    await anon.goto('/wiki/Internet_standards?action=edit');
    const typed = `${(await anon.locator('#source').inputValue()).trimEnd()}\n\nA sentence typed while the page was being protected.\n`;
    await anon.locator('#source').fill(typed);
    await anon.locator('#summary').fill('Anonymous addition');

    // The admin's page tools: a closed <details> that opens on a click and offers Protect.
    await admin.goto('/wiki/Internet_standards');
    const more = admin.locator('.page-tabs .more-actions details');
    expect(await more.getAttribute('open')).toBeNull();
    expect(await more.getByRole('link', { name: 'Protect' }).isVisible()).toBe(false);
    await more.locator('summary').click();
    expect(await more.getAttribute('open')).not.toBeNull();
    expect(await more.locator('a').allInnerTexts()).toEqual(expect.arrayContaining(['Page information', 'Move', 'Protect', 'Delete']));
    await more.getByRole('link', { name: 'Protect' }).click();
    await admin.waitForURL(/\/wiki\/Internet_standards\?action=protect$/);
    expect(await admin.locator('h1').innerText()).toBe('Protect "Internet standards"');
    expect(await admin.locator('#level').inputValue()).toBe('none');
    await admin.locator('#level').selectOption({ label: 'Registered users only (semi)' });
    expect(await admin.locator('#expiry').inputValue()).toBe('infinite');
    await admin.locator('#reason').fill('Browser test: semi-protection');
    await admin.getByRole('button', { name: 'Confirm protection' }).click();
    await admin.waitForURL(/\/wiki\/Internet_standards$/);

    // The logged-out save is refused; the words typed are all still there.
    expect(await saveStatus(anon)).toBe(401);
    expect(await anon.locator('h1').innerText()).toBe('Editing Internet standards');
    const error = anon.locator('.form-error');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.innerText()).toBe('This page is protected: only registered users may edit it. Log in to edit.');
    expect(await anon.locator('#source').inputValue()).toBe(typed);
    expect(await anon.locator('#summary').inputValue()).toBe('Anonymous addition');

    // Opening the form afresh: "View source", the text read-only, why, and a way to log in.
    const { page: other } = await wiki.visit();
    await other.goto('/wiki/Internet_standards');
    expect(await other.locator('.protection-note').innerText()).toContain('only registered users may edit it');
    await other.locator('.page-tabs a', { hasText: 'View source' }).click();
    await other.waitForURL(/action=edit$/);
    expect(await other.locator('h1').innerText()).toBe('View source for Internet standards');
    expect(await other.locator('textarea#source').getAttribute('readonly')).not.toBeNull();
    expect(await other.locator('.source-notice').innerText()).toContain('This page is protected');
    expect(await other.locator('.source-notice a', { hasText: 'Log in' }).getAttribute('href')).toBe('/login?returnto=%2Fwiki%2FInternet_standards%3Faction%3Dedit');

    // The protection is logged, and the form shows it.
    await admin.goto('/special/log?type=protect');
    expect(await admin.locator('ul.log > li').first().innerText()).toMatch(/Admin protected Internet standards \[semi, no end date\]\s*\(Browser test: semi-protection\)/);
    await admin.goto('/wiki/Internet_standards?action=protect');
    expect(await admin.locator('.content').innerText()).toContain('Now: semi protection, no end date.');
    expect(await admin.locator('#level').inputValue()).toBe('semi');

    // Unprotect: the same form, "Everyone".
    await admin.locator('#level').selectOption('none');
    expect(await submitted(admin, () => admin.getByRole('button', { name: 'Confirm protection' }).click())).toBe(303);
    expect(new URL(admin.url()).pathname).toBe('/wiki/Internet_standards');
    expect(await saveStatus(anon)).toBe(303);
    expect(new URL(anon.url()).pathname).toBe('/wiki/Internet_standards');
    expect(await anon.locator('.page-body').innerText()).toContain('A sentence typed while the page was being protected.');
  });
});

describe('blocking an IP address', () => {
  const REASON = 'Browser test: repeated blanking';

  it('refuses the blocked editor\'s save with the reason and the end of the block, until the admin unblocks', async () => {
    const { page: admin } = await wiki.admin();
    const { page: anon } = await wiki.visit();
    await anon.goto('/wiki/Commons-based_peer_production?action=edit');
    const typed = `${(await anon.locator('#source').inputValue()).trimEnd()}\n\nWritten from a blocked address.\n`;
    await anon.locator('#source').fill(typed);

    // The server sees every browser here as loopback; one block covers every spelling of it
    // (addresses are compared in canonical form, so ::ffff:127.0.0.1 is the same address).
    await admin.goto('/special/block');
    expect(await admin.locator('ul.blocks > li').count()).toBe(0);
    for (const ip of ['::ffff:127.0.0.1']) {
      await admin.locator('#target').fill(ip);
      await admin.locator('#expiry').fill('2 hours');
      await admin.locator('#reason').fill(REASON);
      expect(await submitted(admin, () => admin.getByRole('button', { name: 'Block', exact: true }).click())).toBe(303);
      expect(new URL(admin.url()).pathname).toBe('/special/block');
    }
    const blocks = admin.locator('ul.blocks > li');
    expect(await blocks.count()).toBe(1);
    for (const text of await blocks.allInnerTexts()) expect(text).toMatch(new RegExp(`127\\.0\\.0\\.1 — until .+\\(${REASON}\\)`));
    await screenshot(admin, 'blocks');

    try {
      expect(await saveStatus(anon)).toBe(403);
      const error = await anon.locator('.form-error').innerText();
      expect(error).toMatch(/^Editing from your address without an account is blocked until \S+/);
      expect(error).toContain('Blocked by Admin.');
      expect(error).toContain(REASON);
      expect(error).toContain('You can still read every page.');
      expect(await anon.locator('#source').inputValue()).toBe(typed);
      // Reading still works.
      const res = await anon.goto('/wiki/Commons-based_peer_production');
      expect(res?.status()).toBe(200);
      await anon.goBack();
    } finally {
      // Unblock, whatever happened above (the other tests share this server).
      await admin.goto('/special/block');
      while ((await admin.locator('ul.blocks > li').count()) > 0) {
        await submitted(admin, () => admin.locator('ul.blocks > li').first().getByRole('button', { name: 'Unblock' }).click());
      }
    }
    expect(await admin.locator('.content').innerText()).toContain('None.');
    await admin.goto('/special/log?type=block');
    expect(await admin.locator('ul.log > li').allInnerTexts()).toEqual([
      expect.stringMatching(/Admin unblocked/),
      expect.stringMatching(new RegExp(`Admin blocked 127\\.0\\.0\\.1 \\(until \\d\\d:\\d\\d, [^)]+\\)\\s*\\(${REASON}\\)`)),
    ]);

    // Unblocked: the same form saves now.
    await anon.goto('/wiki/Commons-based_peer_production?action=edit');
    await anon.locator('#source').fill(typed);
    expect(await saveStatus(anon)).toBe(303);
    expect(await anon.locator('.page-body').innerText()).toContain('Written from a blocked address.');
  });
});
