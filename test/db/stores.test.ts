import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSY_TIMEOUT_MS, openDatabase, type Db } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { MemoKey } from '../../server/db/memo.js';
import { livePage } from '../../server/db/live.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';

function stores() {
  const db = openDatabase(':memory:');
  migrate(db);
  return createStores(db);
}

/**
 * Stores over a database file, and a second connection to it (another process) holding the write
 * lock, for `run`; both closed and the file removed afterwards.
 */
async function whileLocked(run: (w: { a: Db; s: Stores; other: Db }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-lock-'));
  const a = openDatabase(join(dir, 'wiki.db'));
  const other = openDatabase(join(dir, 'wiki.db'));
  try {
    migrate(a);
    const s = createStores(a);
    other.prepare('BEGIN IMMEDIATE').run();
    await run({ a, s, other });
  } finally {
    other.close();
    a.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('createStores: transactionAsync', () => {
  it('waits for another process\'s write lock without holding the event loop, then writes', async () => {
    await whileLocked(async ({ a, s, other }) => {
      let turns = 0;
      const ticking = setInterval(() => turns++, 1);
      let timeoutInside = -1;
      const written = s.transactionAsync(() => {
        timeoutInside = a.pragma('busy_timeout', { simple: true }) as number;
        s.settings.getOrCreate('lock test', () => 'written');
        return 'done';
      });
      await new Promise((resolve) => setTimeout(resolve, 60));
      // Still waiting, and the event loop went on meanwhile.
      expect(s.settings.get('lock test')).toBeUndefined();
      expect(turns).toBeGreaterThan(10);
      other.prepare('COMMIT').run();
      await expect(written).resolves.toBe('done');
      clearInterval(ticking);
      expect(s.settings.get('lock test')).toBe('written');
      // Only BEGIN asked without waiting: the writes inside (and the feed's after them) wait as usual.
      expect(timeoutInside).toBe(BUSY_TIMEOUT_MS);
      // The connection's own busy timeout is back for everything else.
      expect(a.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    });
  });

  it('commits the writes queued while another process held the lock in one transaction, each in a savepoint of its own', async () => {
    await whileLocked(async ({ a, s, other }) => {
      const delivered: number[] = [];
      s.feed.subscribe((e) => {
        if (e.type === 'patrol') delivered.push(e.revisionId);
      });
      const patrol = (revisionId: number) => s.feed.note({ type: 'patrol', revisionId, pageId: 1, actorId: 1, timestamp: '2026-01-01T00:00:00.000Z', linkColours: [] });
      const first = s.transactionAsync(() => {
        s.settings.getOrCreate('first', () => 'written');
        patrol(1);
        return 'first';
      });
      const failing = s.transactionAsync(() => {
        s.settings.getOrCreate('failing', () => 'written');
        patrol(2);
        throw new Error('this one fails');
      });
      let deliveredBeforeLast = -1;
      const last = s.transactionAsync(() => {
        deliveredBeforeLast = delivered.length;
        s.settings.getOrCreate('last', () => 'written');
        patrol(3);
        return 'last';
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(s.settings.get('first')).toBeUndefined();
      other.prepare('COMMIT').run();
      await expect(first).resolves.toBe('first');
      await expect(failing).rejects.toThrow('this one fails');
      await expect(last).resolves.toBe('last');
      // One transaction: the first write's event was not out when the last ran, and goes out once, after the commit.
      expect(deliveredBeforeLast).toBe(0);
      expect(delivered).toEqual([1, 3]);
      // The failed write left nothing; the others are written.
      expect([s.settings.get('first'), s.settings.get('failing'), s.settings.get('last')]).toEqual(['written', undefined, 'written']);
      expect(a.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    });
  });

  it('runs inside a transaction already open, and passes on what the function throws', async () => {
    const s = stores();
    await expect(s.transactionAsync(() => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(s.transaction(() => s.db.inTransaction)).toBe(true);
  });
});

describe('createStores', () => {
  it('reads in one transaction with read(), and inside a transaction just runs the function', () => {
    const s = stores();
    expect(s.db.inTransaction).toBe(false);
    expect(s.read(() => s.db.inTransaction)).toBe(true);
    expect(s.db.inTransaction).toBe(false);
    expect(s.transaction(() => s.read(() => s.settings.getOrCreate('k', () => 'v')))).toBe('v');
    expect(() => s.read(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(s.db.inTransaction).toBe(false);
  });

  it('runs a transaction whole or not at all, and hands back its value', () => {
    const s = stores();
    expect(s.transaction(() => s.settings.getOrCreate('k', () => 'v'))).toBe('v');
    expect(() => s.transaction(() => {
      s.actors.create('Ghost', 'user', 'user', null);
      throw new Error('boom');
    })).toThrow('boom');
    expect(s.actors.byName('Ghost')).toBeUndefined();
  });

  it('gives each database its own feed and memo', () => {
    const [a, b] = [stores(), stores()];
    expect(a.feed).not.toBe(b.feed);
    const key = new MemoKey<{ n: number }>('test');
    a.memo.get(key, () => ({ n: 1 })).n += 1;
    expect(a.memo.get(key, () => ({ n: 100 })).n).toBe(2);
    expect(b.memo.get(key, () => ({ n: 100 })).n).toBe(100);
  });

  it('touches pages linking to a created title, and category members for a category page', () => {
    const s = stores();
    const actor = s.actors.system();
    saveEdit(s, { title: parseTitle('Linker'), source: '[[Later]]', baseId: null, actor });
    saveEdit(s, { title: parseTitle('Member'), source: 'x [[Category:Things]]', baseId: null, actor });
    saveEdit(s, { title: parseTitle('Bystander'), source: 'nothing', baseId: null, actor });
    const touched = (t: string) => s.pages.byTitle(parseTitle(t))!.touched;
    const before = { linker: touched('Linker'), member: touched('Member'), bystander: touched('Bystander') };
    saveEdit(s, { title: parseTitle('Later'), source: 'here now', baseId: null, actor });
    saveEdit(s, { title: parseTitle('Category:Things'), source: 'things', baseId: null, actor });
    expect(touched('Linker')).toBe(before.linker + 1);
    expect(touched('Member')).toBe(before.member + 1);
    expect(touched('Bystander')).toBe(before.bystander);
  });
});

describe('livePage', () => {
  it('is one condition, aliased or not, that leaves deleted pages out', () => {
    expect(livePage()).toBe("latest_id IS NOT NULL AND title NOT LIKE '#%'");
    expect(livePage('p')).toBe("p.latest_id IS NOT NULL AND p.title NOT LIKE '#%'");
    const s = stores();
    const actor = s.actors.system();
    saveEdit(s, { title: parseTitle('Kept'), source: 'x', baseId: null, actor });
    saveEdit(s, { title: parseTitle('Dropped'), source: 'x', baseId: null, actor });
    deletePage(s, actor, parseTitle('Dropped'), '');
    const live = s.db.prepare(`SELECT title FROM page p WHERE ${livePage('p')}`).pluck().all();
    expect(live).toEqual(['Kept']);
    expect(s.pages.count()).toBe(1);
  });
});
