/** Accounts for the browser tests: an admin made with the CLI before the server starts, and the log-in form. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { useWiki, type Visitor, type Wiki } from './fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist', 'server', 'cli', 'main.js');

export const ADMIN = { name: 'Admin', password: 'an admin password for browser tests' } as const;

/** `node dist/server/cli/main.js user add NAME --role ROLE`, the password on stdin; throws with the CLI's output on failure. */
export async function addUserWithCli(env: NodeJS.ProcessEnv, name: string, password: string, role: 'admin' | 'user'): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'user', 'add', name, '--role', role], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stdin.end(`${password}\n`);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`wiki user add ${name} exited with ${code}:\n${out}`);
}

/** Logs in through /login and waits for the redirect back. */
export async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#username').fill(name);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

export interface AdminWiki extends Wiki {
  /**
   * A fresh context logged in as the admin: through the form the first time, then with that
   * session's cookies (a log-in per test would only slow the run down).
   */
  admin(options?: BrowserContextOptions): Promise<Visitor>;
}

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** The per-file fixture with an admin account, created with the CLI before the server starts. */
export function useWikiWithAdmin(): AdminWiki {
  const wiki = useWiki({ setup: (_db, env) => addUserWithCli(env, ADMIN.name, ADMIN.password, 'admin') });
  let session: StorageState | undefined;
  return {
    get url() {
      return wiki.url;
    },
    visit: (o) => wiki.visit(o),
    async admin(o = {}) {
      if (session) return wiki.visit({ ...o, storageState: session });
      const visitor = await wiki.visit(o);
      await logIn(visitor.page, ADMIN.name, ADMIN.password);
      expect(await visitor.page.locator('.site-header .user-links details.user-menu summary', { hasText: ADMIN.name }).count(), 'logged in as the admin').toBe(1);
      session = await visitor.context.storageState();
      return visitor;
    },
  };
}
