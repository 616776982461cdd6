/** export/import of what a wiki needs to move besides its pages: accounts, protections, blocks, log, watchlists. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { runCli } from '../../server/cli/run.js';
import { blockTarget, deletePage, protectPage, unblock, undeletePage } from '../../server/wiki/admin.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { setWatched } from '../../server/wiki/watchlist.js';
import { parseTitle } from '../../server/wiki/title.js';
import { buildSampleWiki, capture, cleanupDirs, tempDir, withWiki } from '../helpers/cli.js';

afterEach(cleanupDirs);

/** The sample wiki plus a protection, blocks (one lifted), watches, and the log they leave. */
function siteWiki(file: string): void {
  buildSampleWiki(file);
  withWiki(file, (stores) => {
    const alice = stores.actors.byName('Alice')!;
    const bob = stores.actors.byName('Bob Smith')!;
    protectPage(stores, alice, parseTitle('Peer networks'), 'semi', null, 'vandalism');
    protectPage(stores, alice, parseTitle('Gossip protocols'), 'full', '2999-01-01T00:00:00.000Z', 'edit war');
    blockTarget(stores, alice, '203.0.113.7', '2999-01-01T00:00:00.000Z', 'spam from this address', { anonOnly: false, allowUsertalk: false });
    const lifted = blockTarget(stores, alice, 'Bob Smith', null, 'testing');
    unblock(stores, alice, lifted.id, 'a mistake');
    setWatched(stores, bob, parseTitle('Peer networks'), true);
    setWatched(stores, bob, parseTitle('Talk:Peer networks'), true);
    setWatched(stores, alice, parseTitle('Gossip protocols'), true);
    // The sample deleted "Spam"; someone wrote a new "Spam" since, and deleted that as well once.
    saveEdit(stores, { title: parseTitle('Spam'), source: 'Spam (food), a canned meat.\n', baseId: null, actor: bob, timestamp: '2024-03-01T00:00:00.000Z' });
    saveEdit(stores, { title: parseTitle('Old idea'), source: 'An idea nobody wanted.\n', baseId: null, actor: bob, timestamp: '2024-03-02T00:00:00.000Z' });
    deletePage(stores, alice, parseTitle('Old idea'), 'not needed');
  });
}

/** Deleted pages in SQL: their title, deletion and revisions. */
function deletedRows(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(
      `SELECT d.title, d.deleted_at, a.name AS by, d.reason, d.restored_at, p.title LIKE '#deleted:%' AS tombstoned,
       (SELECT group_concat(r.timestamp || ' ' || hex(c.sha1) || ' ' || ra.name, ', ') FROM revision r JOIN content c ON c.id = r.content_id JOIN actor ra ON ra.id = r.actor_id WHERE r.page_id = p.id) AS revisions
       FROM deletion d JOIN page p ON p.id = d.page_id JOIN actor a ON a.id = d.actor_id WHERE d.restored_at IS NULL ORDER BY d.title, d.deleted_at`,
    ).all();
  } finally {
    db.close();
  }
}

/** The site tables in SQL, by names and titles (ids differ between wikis). */
function siteRows(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      accounts: all("SELECT name, kind, role, created_at, password_hash IS NOT NULL AS has_password FROM actor WHERE kind <> 'system' ORDER BY name"),
      protections: all('SELECT p.title, pr.level, pr.expiry, pr.reason, a.name AS by, pr.created_at FROM protection pr JOIN page p ON p.id = pr.page_id JOIN actor a ON a.id = pr.actor_id ORDER BY p.title'),
      // Autoblocks stay behind (they hold an address for a day, on the wiki that saw it).
      blocks: all('SELECT b.target, t.name AS account, b.ip, b.range_start, b.range_end, b.expiry, b.reason, a.name AS by, b.created_at, b.removed_at, b.anon_only, b.autoblock, b.allow_usertalk FROM block b LEFT JOIN actor t ON t.id = b.actor_id JOIN actor a ON a.id = b.by_actor WHERE b.parent_id IS NULL ORDER BY b.created_at, b.target'),
      log: all('SELECT l.type, l.action, l.timestamp, a.name AS by, l.target, l.reason, l.details FROM log l JOIN actor a ON a.id = l.actor_id ORDER BY l.timestamp, l.type, l.target'),
      // Watches of live pages: a deleted page's title is free for a new page, which nobody watched.
      watches: all(`SELECT a.name AS account, p.title, w.created_at FROM watchlist w JOIN actor a ON a.id = w.actor_id JOIN page p ON p.id = w.page_id WHERE p.title NOT LIKE '#%' ORDER BY a.name, p.title`),
    };
  } finally {
    db.close();
  }
}

async function roundTrip(flags: string[] = []) {
  const dir = tempDir();
  const source = join(dir, 'a.db');
  siteWiki(source);
  const out = join(dir, 'export');
  const exported = capture(source);
  expect(await runCli(['export', out, ...flags], exported.cli)).toBe(0);
  const target = join(dir, 'b.db');
  const imported = capture(target);
  expect(await runCli(['import', out], imported.cli)).toBe(0);
  return { dir, source, out, target, exported, imported };
}

describe('export and import of the rest of a wiki', () => {
  it('carries accounts with roles, protections, blocks, the log and watchlists over, equal in SQL', async () => {
    const { source, target, exported, imported } = await roundTrip();
    const before = siteRows(source);
    expect(before.protections).toHaveLength(2);
    expect(before.blocks).toHaveLength(2);
    // Three watched by hand, the rest because their accounts edited the pages (watch pages I edit).
    expect(before.watches).toHaveLength(13);
    expect(before.log.length).toBeGreaterThanOrEqual(5);
    const after = siteRows(target);
    // Without the flag no password hash leaves the wiki: Alice's account arrives without one.
    expect(after.accounts).toEqual(before.accounts.map((a) => ({ ...(a as object), has_password: 0 })));
    expect(after.protections).toEqual(before.protections);
    expect(after.blocks).toEqual(before.blocks);
    expect(after.log).toEqual(before.log);
    expect(after.watches).toEqual(before.watches);
    expect(exported.out[0]).toMatch(/other records \(accounts, protections, blocks, log, watchlists\)/);
    expect(imported.out[0]).toMatch(/added 2 protections, 2 blocks, \d+ log entries and 13 watches$/);
  });

  it('carries deleted pages over as deleted, with their revisions and deletion, even when the title is in use again', async () => {
    const { source, target, exported } = await roundTrip();
    const before = deletedRows(source);
    expect(before.map((d) => (d as { title: string }).title)).toEqual(['Old idea', 'Spam']);
    expect(deletedRows(target)).toEqual(before);
    expect(exported.out[0]).toMatch(/^exported \d+ pages \(and 2 deleted\)/);
    withWiki(target, (stores) => {
      // The live "Spam" is the new one; the deleted one can be undeleted once the title is free.
      expect(stores.content.get(stores.revisions.byId(stores.pages.byTitle(parseTitle('Spam'))!.latestId)!.contentId)).toBe('Spam (food), a canned meat.\n');
      expect(stores.pages.byTitle(parseTitle('Old idea'))).toBeUndefined();
      undeletePage(stores, stores.actors.byName('Alice')!, parseTitle('Old idea'), 'wanted after all');
      expect(stores.content.get(stores.revisions.byId(stores.pages.byTitle(parseTitle('Old idea'))!.latestId)!.contentId)).toBe('An idea nobody wanted.\n');
    });
  });

  it('gives imported revisions their tags and risk, as a save would, without filling the review queue', async () => {
    const { dir, out } = await roundTrip();
    // A history from a tool that knows no tags: every revision's list emptied.
    writeBack(join(out, 'history.json'), (line) => line.replace(/"tags":\[[^\]]*\]/, '"tags":[]'));
    const target = join(dir, 'd.db');
    expect(await runCli(['import', out], capture(target).cli)).toBe(0);
    const db = new Database(target, { readonly: true });
    try {
      const row = (source: string) =>
        db.prepare(
          `SELECT (SELECT group_concat(tag, ' ') FROM (SELECT tag FROM revision_tag t WHERE t.revision_id = r.id ORDER BY tag)) AS tags,
           v.risk, v.reasons, v.patrolled_by IS NOT NULL AS patrolled
           FROM revision r JOIN content c ON c.id = r.content_id LEFT JOIN review v ON v.revision_id = r.id WHERE c.sha1 = unhex(?)`,
        ).get(createHash('sha1').update(source).digest('hex')) as { tags: string; risk: number; reasons: string; patrolled: number };
      // The temporary account's vandalism: its tags follow from the texts, its risk from them and the account.
      const vandalism = row('Vandalism!\n');
      expect(vandalism.tags).toContain('new-user');
      expect(vandalism.risk).toBeGreaterThan(0);
      expect(JSON.parse(vandalism.reasons)).toContain('by a temporary account');
      expect(vandalism.patrolled).toBe(1);
      const unreviewed = db.prepare('SELECT count(*) FROM revision r LEFT JOIN review v ON v.revision_id = r.id WHERE v.revision_id IS NULL OR v.patrolled_by IS NULL').pluck().get();
      expect(unreviewed).toBe(0);
    } finally {
      db.close();
    }
  });

  it('keeps password hashes only when asked, so their owners can log in on the new wiki', async () => {
    const { out, source, target } = await roundTrip(['--with-password-hashes']);
    expect(readFileSync(join(out, 'history.json'), 'utf8')).toContain('scrypt$not-a-real-hash');
    expect(siteRows(target).accounts).toEqual(siteRows(source).accounts);
    const plain = await roundTrip();
    expect(readFileSync(join(plain.out, 'history.json'), 'utf8')).not.toContain('scrypt$');
  });

  it('adds nothing when run twice', async () => {
    const { out, target } = await roundTrip();
    const once = siteRows(target);
    const again = capture(target);
    expect(await runCli(['import', out], again.cli)).toBe(0);
    expect(siteRows(target)).toEqual(once);
    expect(deletedRows(target)).toHaveLength(2);
    expect(again.out[0]).toMatch(/added 0 protections, 0 blocks, 0 log entries and 0 watches$/);
  });

  it('refuses a site record that names an account or page it does not have, and writes nothing', async () => {
    const { dir, out } = await roundTrip();
    const file = join(out, 'history.json');
    writeBack(file, (line) => line.replace('"kind":"watch","account":"Bob Smith"', '"kind":"watch","account":"Nobody Here"'));
    const target = join(dir, 'c.db');
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(/watch record names the account "Nobody Here", which is neither in the import nor here/);
  });
});

function writeBack(file: string, edit: (line: string) => string): void {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.split('\n').map(edit).join('\n'));
}
