/**
 * Every page type, as a reader at 360 and 1440 px in the light and dark schemes: axe-core finds no
 * critical or serious violation (WCAG 2.2 AA and axe's best practices), and a screenshot of each is
 * written to test/e2e/screenshots/tour/ (README: "Screenshots") to be looked at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './browser.js';
import { submitted } from './fixture.js';
import { useWikiWithAdmin } from './users.js';

const wiki = useWikiWithAdmin();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TOUR_DIR = join(SCREENSHOT_DIR, 'tour');

const VIEWS = [
  { width: 360, height: 780, colorScheme: 'light' },
  { width: 1440, height: 900, colorScheme: 'dark' },
  { width: 360, height: 780, colorScheme: 'dark' },
  { width: 1440, height: 900, colorScheme: 'light' },
] as const;

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core's serious and critical findings on the page as it stands. */
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const found = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as Violation[];
  // And two landmarks of one kind told apart by nothing (a search box on the search page): moderate for axe, named by the issue.
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique');
}

function described(where: string, vs: Violation[]): string[] {
  return vs.map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`);
}

/** Saves `text` to `path` through the edit form (no JavaScript needed). */
async function save(page: Page, path: string, text: string, summary = ''): Promise<void> {
  await page.goto(`${path}?action=edit`);
  await page.locator('#source').fill(text);
  if (summary) await page.locator('#summary').fill(summary);
  expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;
interface TourPage {
  name: string;
  path: string;
  as?: 'admin';
  prepare?: (page: Page) => Promise<void>;
}

/** The pages to visit, over content made once for the whole tour (a history, a protected page, a conflict to come). */
async function tourContent(): Promise<{ pages: TourPage[]; adminState: StorageState }> {
  mkdirSync(TOUR_DIR, { recursive: true });
  // Content to look at: a page with a history, a talk page, a conflict waiting to happen.
  const writer = await wiki.visit();
  await save(writer.page, '/wiki/Tour', 'Peer networks are **open**. See [[Wikipedia]] and [[Missing page]].\n\n## History\n\nThe [internet](https://example.org) came first.[^1]\n\n[^1]: A footnote.\n\n[[Category:Tour]]', 'first');
  await save(writer.page, '/wiki/Tour', 'Peer networks are **open** and *decentralized*. See [[Wikipedia]] and [[Missing page]].\n\n## History\n\nThe [internet](https://example.org) came first.[^1]\n\n| Year | Event |\n|---|---|\n| 1969 | ARPANET |\n\n[^1]: A footnote.\n\n[[Category:Tour]]', 'second');
  await writer.page.goto('/wiki/Tour?action=history');
  const ids = await writer.page.locator('input[name="oldid"]').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
  const [newer, older] = [Math.max(...ids.map(Number)), Math.min(...ids.map(Number))];

  const admin = await wiki.admin();
  // A message for the admin: the new-messages bar and an unread notification on the admin's pages.
  await save(writer.page, '/wiki/User_talk:Admin', '## Hello\n\nA question about the tour. ~~~~');
  // A protected page, for the lock and "View source".
  await save(writer.page, '/wiki/Locked', 'A page only admins may edit.');
  await admin.page.goto('/wiki/Locked?action=protect');
  await admin.page.locator('#level').selectOption('full');
  await admin.page.locator('#expiry').fill('30 days');
  expect(await submitted(admin.page, () => admin.page.getByRole('button', { name: 'Confirm protection' }).click())).toBe(303);
  const pages: TourPage[] = [
    { name: 'article', path: '/wiki/Tour' },
    { name: 'main-page', path: '/wiki/Main_Page' },
    { name: 'printable', path: '/wiki/Tour?printable=yes' },
    { name: 'old-revision', path: `/wiki/Tour?oldid=${older}` },
    { name: 'missing-page', path: '/wiki/Nothing_here_yet' },
    { name: 'protected', path: '/wiki/Locked' },
    { name: 'view-source', path: '/wiki/Locked?action=edit' },
    { name: 'edit', path: '/wiki/Tour?action=edit' },
    {
      name: 'edit-preview', path: '/wiki/Tour?action=edit',
      prepare: async (page) => {
        await submitted(page, () => page.getByRole('button', { name: 'Preview' }).click());
      },
    },
    {
      name: 'edit-conflict', path: '/wiki/Tour?action=edit',
      prepare: async (page) => {
        // Someone else rewrites the first line while this form is open; this form rewrites it too.
        const other = await wiki.visit();
        await other.page.goto('/wiki/Tour?action=edit');
        const theirs = await other.page.locator('#source').inputValue();
        await other.page.locator('#source').fill(theirs.replace(/^[^\n]*/, `Their first line, ${Date.now()}.`));
        expect(await submitted(other.page, () => other.page.getByRole('button', { name: 'Save changes' }).click())).toBe(303);
        const mine = await page.locator('#source').inputValue();
        await page.locator('#source').fill(mine.replace(/^[^\n]*/, 'My own first line.'));
        expect(await submitted(page, () => page.getByRole('button', { name: 'Save changes' }).click())).toBe(409);
      },
    },
    { name: 'history', path: '/wiki/Tour?action=history' },
    { name: 'diff', path: `/wiki/Tour?diff=${newer}&oldid=${older}` },
    { name: 'diff-inline', path: `/wiki/Tour?diff=${newer}&oldid=${older}&view=inline` },
    { name: 'blame', path: '/wiki/Tour?action=blame' },
    { name: 'info', path: '/wiki/Tour?action=info' },
    { name: 'category', path: '/wiki/Category:Tour' },
    { name: 'recent-changes', path: '/special/recent-changes' },
    { name: 'recent-changes-admin', path: '/special/recent-changes', as: 'admin' },
    { name: 'review', path: '/special/review', as: 'admin' },
    { name: 'search', path: '/special/search?q=peer+networks&fulltext=1' },
    { name: 'all-pages', path: '/special/all-pages' },
    { name: 'special-pages', path: '/special/special-pages' },
    { name: 'log', path: '/special/log' },
    { name: 'contributions', path: '/special/contributions/Admin' },
    { name: 'login', path: '/login' },
    { name: 'register', path: '/register' },
    { name: 'delete', path: '/wiki/Tour?action=delete', as: 'admin' },
    { name: 'protect', path: '/wiki/Tour?action=protect', as: 'admin' },
    { name: 'block', path: '/special/block', as: 'admin' },
    {
      name: 'menus-open', path: '/wiki/Tour', as: 'admin',
      prepare: async (page) => {
        await page.locator('details.user-menu > summary').click();
        await page.locator('details.admin-menu > summary').click();
      },
    },
    { name: 'notifications', path: '/special/notifications', as: 'admin' },
    { name: 'preferences', path: '/special/preferences', as: 'admin' },
    { name: 'change-password', path: '/special/change-password', as: 'admin' },
    { name: 'reset-password', path: '/special/reset-password' },
    { name: 'error-404', path: '/wiki/Tour?oldid=999999' },
    { name: 'error-action', path: '/wiki/Tour?action=nonsense' },
  ];
  return { pages, adminState: await admin.context.storageState() };
}
let content: ReturnType<typeof tourContent> | undefined;

describe('every page type, at 360 and 1440 px, light and dark', () => {
  // One test a view: each stays well inside its time on a slower machine than this one.
  it.each(VIEWS)('$width px, $colorScheme: no serious or critical accessibility violation, nothing wider than the screen; photographed', async (view) => {
    const { pages, adminState } = await (content ??= tourContent());
    const problems: string[] = [];
    const reader = await wiki.visit({ viewport: { width: view.width, height: view.height }, colorScheme: view.colorScheme, bypassCSP: true });
    const patroller = await wiki.visit({ viewport: { width: view.width, height: view.height }, colorScheme: view.colorScheme, bypassCSP: true, storageState: adminState });
    for (const p of pages) {
      const page = p.as === 'admin' ? patroller.page : reader.page;
      await page.goto(p.path);
      if (p.prepare) await p.prepare(page);
      const where = `${p.name} at ${view.width} px, ${view.colorScheme}`;
      problems.push(...described(where, await violations(page)));
      // Nothing runs off the right edge, where a reader on a phone would never see it.
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      if (width > view.width) problems.push(`${where}: the page is ${width} px wide, wider than the screen`);
      await page.screenshot({ path: join(TOUR_DIR, `${p.name}-${view.width}-${view.colorScheme}.png`), fullPage: true });
    }
    expect(problems).toEqual([]);
  }, 180_000);
});

describe('printing an article', () => {
  it('prints the text, footnotes and where external links lead, without the wiki\'s chrome', async () => {
    const admin = await wiki.admin();
    const { page } = admin;
    await save(page, '/wiki/Printed', 'Read [the RFCs](https://www.rfc-editor.org) and [[Wikipedia]].[^1]\n\n[^1]: Kept on paper.');
    const check = async () => {
      expect(await page.locator('.page-tabs').isVisible()).toBe(false);
      expect(await page.locator('.watch-star').isVisible()).toBe(false);
      expect(await page.locator('.site-header .search').isVisible()).toBe(false);
      expect(await page.locator('.footnotes').isVisible()).toBe(true);
      const after = await page.locator('.page-body a.external').first().evaluate((a) => a.ownerDocument.defaultView.getComputedStyle(a, '::after').content as string);
      expect(after).toContain('https://www.rfc-editor.org');
    };
    await page.goto('/wiki/Printed');
    await page.emulateMedia({ media: 'print' });
    await check();
    // ?printable=yes shows the same on screen.
    await page.emulateMedia({ media: 'screen' });
    await page.goto('/wiki/Printed?printable=yes');
    await check();
    await page.screenshot({ path: join(TOUR_DIR, 'printable-article.png'), fullPage: true });
  });
});
