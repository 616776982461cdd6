/** A community in the browser: new messages, notifications in place, the admin tools, and a block with its appeal. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { submitted } from './fixture.js';
import { useWikiWithAdmin } from './users.js';

const wiki = useWikiWithAdmin();
const PASSWORD = 'a long enough password';
let accounts = 0;

/** Register a fresh account through the form (which logs it in); returns its name. */
async function register(page: Page): Promise<string> {
  accounts += 1;
  const name = `Newcomer ${accounts} ${Date.now()}`;
  await page.goto('/register');
  await page.locator('input[name="username"]').fill(name);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="password_confirm"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForLoadState('load');
  return name;
}

const path = (title: string) => `/wiki/${encodeURIComponent(title.replace(/ /g, '_')).replace(/%3A/g, ':')}`;

async function save(page: Page, title: string, text: string): Promise<void> {
  await page.goto(`${path(title)}?action=edit`);
  await page.locator('#source').fill(text);
  expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
}

describe('talking to each other', () => {
  it('shows "You have new messages" on every page after an admin writes on a newcomer\'s talk page, until it is read', async () => {
    const { page } = await wiki.visit();
    const name = await register(page);
    const admin = await wiki.admin();
    await admin.page.goto(`${path(`User talk:${name}`)}?action=edit&section=new`);
    await admin.page.locator('#subject').fill('Welcome');
    await admin.page.locator('#source').fill('Welcome to Peerwiki! Ask me anything. ~~~~');
    expect(await submitted(admin.page, () => admin.page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);

    await page.goto('/wiki/Main_Page');
    const bar = page.locator('.new-messages');
    expect(await bar.isVisible()).toBe(true);
    expect(await bar.innerText()).toContain('You have new messages');
    await screenshot(page, 'new-messages');
    await page.goto('/special/recent-changes');
    expect(await page.locator('.new-messages').isVisible()).toBe(true);
    await page.locator('.new-messages').getByRole('link', { name: 'new messages' }).click();
    await page.waitForURL((u) => u.pathname === path(`User talk:${name}`));
    // The signature became a link to the admin, and the bar is gone, here and everywhere.
    expect(await page.locator('#content a[href^="/wiki/User:Admin"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.new-messages').count()).toBe(0);
    await page.goto('/wiki/Main_Page');
    expect(await page.locator('.new-messages').count()).toBe(0);
  });

  for (const js of [true, false]) {
    it(`counts notifications in the header and shows them ${js ? 'in place with htmx' : 'on their page without JavaScript'}`, async () => {
      const { page } = await wiki.visit({ javaScriptEnabled: js });
      await register(page);
      await save(page, `Notice board ${js}`, 'A page the newcomer wrote, and so watches.');
      const admin = await wiki.admin();
      await save(admin.page, `Notice board ${js}`, 'The admin changed it.');

      await page.goto('/wiki/Main_Page');
      const link = page.locator('.notifications-link');
      expect(await link.locator('.badge').innerText()).toBe('1');
      expect(await link.getAttribute('aria-label')).toBe('Notifications, 1 unread');
      await page.locator('h1').evaluate((h1) => h1.setAttribute('data-still-here', 'yes'));
      await link.click();
      if (js) {
        await page.locator('#notifications-panel ul.notifications li').first().waitFor();
        expect(await page.locator('h1').getAttribute('data-still-here')).toBe('yes');
        expect(await page.locator('#notifications-panel').innerText()).toContain(`changed Notice board ${js}`);
        // The badge goes out of band with the same answer; wait for the swap to settle rather than race it.
        await page.locator('.notifications-link .badge').waitFor({ state: 'detached', timeout: 5000 });
        await screenshot(page, 'notifications-panel');
      } else {
        await page.waitForURL((u) => u.pathname === '/special/notifications');
        expect(await page.locator('ul.notifications li.unread').innerText()).toContain(`changed Notice board ${js}`);
        await screenshot(page, 'notifications-page');
      }
      await page.goto('/wiki/Main_Page');
      expect(await page.locator('.notifications-link .badge').count()).toBe(0);
    });
  }

  it('gives admins their tools in a menu on every page, and newcomers none', async () => {
    const admin = await wiki.admin();
    await admin.page.goto('/wiki/Main_Page');
    const tools = admin.page.locator('details.admin-menu');
    await tools.locator('summary').click();
    for (const [label, href] of [['Review queue', '/special/review'], ['Log', '/special/log'], ['Blocks', '/special/block'], ['Mass rollback', '/special/mass-rollback']]) {
      expect(await tools.getByRole('link', { name: label, exact: true }).getAttribute('href')).toBe(href);
    }
    await tools.getByRole('link', { name: 'Blocks' }).click();
    await admin.page.waitForURL((u) => u.pathname === '/special/block');
  });
});

describe('a block, and its appeal', () => {
  it('shows the blocked person why, until when and by whom, and lets them appeal on their talk page, which the admin hears of', async () => {
    const { page } = await wiki.visit();
    const name = await register(page);
    await save(page, 'Sandbox for blocks', 'Something the newcomer wrote.');

    const admin = await wiki.admin();
    await admin.page.goto('/special/block');
    await admin.page.locator('#target').fill(name);
    await admin.page.locator('#expiry').fill('3 days');
    await admin.page.locator('#reason').fill('adding spam links');
    expect(await admin.page.locator('input[name="autoblock"]').isChecked()).toBe(true);
    expect(await submitted(admin.page, () => admin.page.getByRole('button', { name: 'Block', exact: true }).click())).toBe(303);
    expect(await admin.page.locator('ul.blocks').innerText()).toContain('Autoblock #');

    await page.goto(`${path('Sandbox for blocks')}?action=edit`);
    const notice = page.locator('.blocked-notice');
    expect(await notice.isVisible()).toBe(true);
    const text = await notice.innerText();
    expect(text).toContain('adding spam links');
    expect(text).toContain('Blocked by');
    expect(text).toContain('Admin');
    await screenshot(page, 'blocked');
    await notice.getByRole('link', { name: 'write an unblock request on your talk page' }).click();
    await page.locator('#subject').fill('Unblock request');
    await page.locator('#source').fill('I did not mean to spam; those were my sources. ~~~~');
    expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
    expect(await page.locator('#content h2', { hasText: 'Unblock request' }).count()).toBe(1);

    await admin.page.goto('/special/notifications');
    expect(await admin.page.locator('ul.notifications').innerText()).toContain(name);
  });
});
