/** Creating an account, logging out and in again through the header links, with JavaScript on and off. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { useWiki } from './fixture.js';

const wiki = useWiki();
const PASSWORD = 'correct horse battery';

/** The account links in the header. */
function header(page: Page) {
  return page.locator('.site-header .user-links');
}

for (const js of [true, false]) {
  describe(`accounts, JavaScript ${js ? 'on' : 'off'}`, () => {
    const name = `Reader ${js ? 'Js' : 'Plain'}`;

    it('registers from the header link, comes back to the page and shows the name in the header', async () => {
      const { page } = await wiki.visit({ javaScriptEnabled: js });
      await page.goto('/wiki/Peer_network');
      await header(page).getByRole('link', { name: 'Create account' }).click();
      await page.waitForURL(/\/register\?returnto=%2Fwiki%2FPeer_network$/);
      expect(await page.locator('h1').innerText()).toBe('Create an account');

      // Two different passwords: refused, with the name kept and the passwords cleared.
      await page.locator('#username').fill(name);
      await page.locator('#password').fill(PASSWORD);
      await page.locator('#password_confirm').fill(`${PASSWORD}!`);
      let response = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Create account' }).click();
      expect((await response).status()).toBe(400);
      await page.waitForLoadState('load');
      expect(await page.locator('.form-error').innerText()).toBe('The two passwords differ; type the same password twice.');
      expect(await page.locator('#username').inputValue()).toBe(name);
      expect(await page.locator('#password').inputValue()).toBe('');
      if (!js) await screenshot(page, 'register-error');

      await page.locator('#password').fill(PASSWORD);
      await page.locator('#password_confirm').fill(PASSWORD);
      response = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Create account' }).click();
      expect((await response).status()).toBe(303);
      await page.waitForURL(/\/wiki\/Peer_network$/);
      // The user menu bears the name; it opens (a <details>, with or without JavaScript) on the account's pages.
      const menu = header(page).locator('details.user-menu');
      expect(await menu.locator('summary').innerText()).toContain(name);
      expect(await menu.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);
      await menu.locator('summary').click();
      expect(await menu.getByRole('link', { name: 'User page' }).getAttribute('href')).toBe(`/wiki/User:${name.replace(/ /g, '_')}`);
      for (const item of ['Talk', 'Contributions', 'Watchlist', 'Notifications', 'Preferences']) expect(await menu.getByRole('link', { name: item, exact: true }).isVisible()).toBe(true);
      expect(await menu.getByRole('button', { name: 'Log out' }).isVisible()).toBe(true);
      expect(await header(page).getByRole('link', { name: 'Log in' }).count()).toBe(0);
      expect(await header(page).locator('.temp-user').count()).toBe(0);
      // Not an admin: no admin tools.
      expect(await header(page).locator('details.admin-menu').count()).toBe(0);
      if (!js) await screenshot(page, 'user-menu');

      // Log out from the menu: back to the Main Page, logged out for real.
      await menu.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/wiki\/Main_Page$/);
      expect(await header(page).getByRole('link', { name: 'Log in' }).isVisible()).toBe(true);
      expect(await header(page).locator('details.user-menu').count()).toBe(0);
      expect((await page.goto('/special/watchlist'))?.status()).toBe(401);
    });

    // Logs in to the account the test above created.
    it('refuses a wrong password keeping the typed name, then logs in and returns to the page', async () => {
      const { page } = await wiki.visit({ javaScriptEnabled: js });
      await page.goto('/wiki/Wikipedia');
      await header(page).getByRole('link', { name: 'Log in' }).click();
      await page.waitForURL(/\/login\?returnto=%2Fwiki%2FWikipedia$/);
      expect(await page.locator('h1').innerText()).toBe('Log in');

      await page.locator('#username').fill(name);
      await page.locator('#password').fill('not the password');
      const response = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Log in' }).click();
      expect((await response).status()).toBe(401);
      await page.waitForLoadState('load');
      expect(await page.locator('h1').innerText()).toBe('Log in');
      const error = page.locator('.form-error');
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await error.innerText()).toBe('Wrong user name or password.');
      expect(await page.locator('#username').inputValue()).toBe(name);
      expect(await page.locator('#password').inputValue()).toBe('');
      expect(await header(page).locator('details.user-menu').count()).toBe(0);
      if (!js) await screenshot(page, 'login-error');

      // The form still knows where to go back to.
      await page.locator('#password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/wiki\/Wikipedia$/);
      expect(await header(page).locator('details.user-menu summary').innerText()).toContain(name);
      expect((await page.goto('/special/watchlist'))?.status()).toBe(200);
    });
  });
}
