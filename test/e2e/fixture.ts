/** Per-file fixture: the real server and one Chromium; fresh contexts per test, checked for CSP errors after each. */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { launchBrowser, newContext, watchedPage, type WatchedPage } from './browser.js';
import { startServer, type RunningServer, type StartOptions } from './server.js';

export interface Visitor extends WatchedPage {
  context: BrowserContext;
}

export interface Wiki {
  /** Base URL of the running server. */
  readonly url: string;
  /**
   * A new browser context (its own cookies, so its own temporary account) with one watched page.
   * Closed after the test, which then fails if any page logged a CSP violation or threw.
   */
  visit(options?: BrowserContextOptions): Promise<Visitor>;
}

export interface WikiOptions extends StartOptions {
  /** Extra environment for the server (WIKI_SAVE_LIMIT, ...). */
  env?: Record<string, string>;
}

export function useWiki(options: WikiOptions = {}): Wiki {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let visitors: Visitor[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(options.env, { setup: options.setup }), launchBrowser()]);
  });

  afterEach(async () => {
    const done = visitors;
    visitors = [];
    await Promise.all(done.map((v) => v.context.close()));
    for (const v of done) {
      expect(v.cspErrors(), 'Content Security Policy violations in the console').toEqual([]);
      expect(v.pageErrors, 'uncaught script errors').toEqual([]);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get url() {
      if (!server) throw new Error('the server is not running (beforeAll failed?)');
      return server.url;
    },
    async visit(options = {}) {
      if (!browser || !server) throw new Error('the browser or server is not running (beforeAll failed?)');
      const context = await newContext(browser, server.url, options);
      const visitor = { context, ...(await watchedPage(context)) };
      visitors.push(visitor);
      return visitor;
    },
  };
}

/** The source with `from` replaced by `to` in its first line; throws when the first line lacks it. */
export function rewordFirstLine(source: string, from: string, to: string): string {
  const end = source.indexOf('\n');
  const first = end === -1 ? source : source.slice(0, end);
  if (!first.includes(from)) throw new Error(`the first line has no ${JSON.stringify(from)}: ${first.slice(0, 120)}`);
  return first.replace(from, to) + (end === -1 ? '' : source.slice(end));
}

/** The source with a paragraph inserted after its first paragraph. */
export function insertAfterFirstParagraph(source: string, paragraph: string): string {
  const at = source.indexOf('\n\n');
  if (at === -1) return `${source}\n\n${paragraph}\n`;
  return `${source.slice(0, at)}\n\n${paragraph}${source.slice(at)}`;
}

// The callbacks below run in the browser. The project's tsconfig has no DOM library (the server
// must not see browser globals), so they reach window and document through the element passed in.

/** A computed style property (CSS name, e.g. "background-color") of the element a locator points at. */
export function computed(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((el, p) => el.ownerDocument.defaultView.getComputedStyle(el).getPropertyValue(p), property);
}

/** Computed style property of the first element matching the selector. */
export function styleOf(page: Page, selector: string, property: string): Promise<string> {
  return computed(page.locator(selector).first(), property);
}

/** The document's full width: more than the viewport when something sticks out sideways. */
export function documentWidth(page: Page): Promise<number> {
  return page.locator('html').evaluate((root) => root.scrollWidth as number);
}

/** The focused element's text and type attribute. */
export function focused(page: Page): Promise<{ text: string; type: string | null }> {
  return page.locator('html').evaluate((root) => {
    const active = root.ownerDocument.activeElement;
    return { text: (active?.textContent ?? '') as string, type: (active?.getAttribute('type') ?? null) as string | null };
  });
}

/**
 * Does `act` (a click that submits a form) and waits for the POST's response and for the page it
 * leads to (the redirect's target, or the form shown again) to load. Returns the POST's status.
 */
export async function submitted(page: Page, act: () => Promise<void>): Promise<number> {
  // The form's own POST, a navigation: not a live preview's (htmx) still in flight from typing.
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
  const loaded = page.waitForEvent('load');
  // Whichever fails first is reported; the other must not become an unhandled rejection.
  response.catch(() => {});
  loaded.catch(() => {});
  await act();
  const status = (await response).status();
  await loaded;
  return status;
}
