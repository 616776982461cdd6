import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { buildSampleWiki, capture, cleanupDirs, count, snapshot, tempDir, withWiki } from '../helpers/cli.js';

afterEach(cleanupDirs);

function wiki() {
  const dir = tempDir();
  const db = join(dir, 'wiki.db');
  buildSampleWiki(db);
  return { dir, db };
}

/** The content id of a page's latest revision. */
function latestContent(db: string, title: string): number {
  return withWiki(db, (stores) => stores.revisions.byId(stores.pages.byTitle(parseTitle(title))!.latestId)!.contentId);
}

describe('wiki check', () => {
  it('reports a sound database with exit 0', async () => {
    const { db } = wiki();
    const run = capture(db);
    expect(await runCli(['check'], run.cli)).toBe(0);
    expect(run.out).toEqual([`check: ${db} is sound (10 pages, 15 revisions, 14 stored texts)`]);
    expect(run.err).toEqual([]);
  });

  it.each([
    {
      name: 'a stored text changed behind its hash',
      tamper: (db: string) => withWiki(db, (_s, d) => d.prepare("UPDATE content SET encoding = 'raw', data = ? WHERE id = ?").run(Buffer.from('Peers are evil.\n'), latestContent(db, 'Peer networks'))),
      error: /stored text \d+: its text hashes to [0-9a-f]{40}, not to its sha1 [0-9a-f]{40}; used by revision \d+ of "Peer networks"/,
    },
    {
      name: 'compressed data that cannot be inflated',
      tamper: (db: string) => withWiki(db, (_s, d) => d.prepare("UPDATE content SET encoding = 'deflate', data = ? WHERE id = ?").run(Buffer.from([0xff, 0xff, 0xff]), latestContent(db, 'Gossip protocols'))),
      error: /stored text \d+: its deflate data cannot be decoded .*used by revision \d+ of "Gossip protocols"/,
    },
    {
      name: 'a text of the wrong size',
      tamper: (db: string) => withWiki(db, (_s, d) => d.prepare('UPDATE content SET size = size + 1 WHERE id = ?').run(latestContent(db, 'P2P'))),
      error: /stored text \d+: its text is \d+ bytes, not its recorded \d+/,
    },
    {
      name: "a revision whose size is not its text's",
      tamper: (db: string) => withWiki(db, (_s, d) => d.prepare('UPDATE revision SET size = size + 1 WHERE id = 1').run()),
      error: /revision 1 of "Peer networks": its size \d+ is not its text's \d+/,
    },
    {
      name: 'a row pointing at a missing row',
      tamper: (db: string) => withWiki(db, (_s, d) => {
        d.pragma('foreign_keys = OFF');
        d.prepare('UPDATE revision SET actor_id = 999 WHERE id = 2').run();
      }),
      error: /revision row 2 points at a missing actor row/,
    },
  ])('finds $name, lists it and exits 1', async ({ tamper, error }) => {
    const { db } = wiki();
    tamper(db);
    const run = capture(db);
    expect(await runCli(['check'], run.cli)).toBe(1);
    const err = run.err.join('\n');
    expect(err).toMatch(error);
    expect(err).toMatch(/restore the database from a backup made before the damage/);
    expect(run.out).toEqual([expect.stringMatching(/^check: \d problems? in .* \(10 pages, 15 revisions, 14 stored texts\)$/)]);
  });

  it('reads compressed texts as sound', async () => {
    const { db } = wiki();
    withWiki(db, (stores) => {
      const t = parseTitle('Peer networks');
      saveEdit(stores, { title: t, source: 'A long enough text to be worth compressing. '.repeat(20), baseId: stores.pages.byTitle(t)!.latestId, actor: stores.actors.system() });
      stores.transaction(() => stores.content.compressQueued(10));
    });
    expect(count(db, "SELECT count(*) FROM content WHERE encoding = 'deflate'")).toBe(1);
    expect(await runCli(['check'], capture(db).cli)).toBe(0);
  });

  it('finds a wiped search index, and --reindex rebuilds it and the link tables', async () => {
    const { db } = wiki();
    const linksBefore = count(db, 'SELECT count(*) FROM link') + count(db, 'SELECT count(*) FROM category_link');
    withWiki(db, (_s, d) => d.exec('DELETE FROM search_index; DELETE FROM link; DELETE FROM category_link'));
    const run = capture(db);
    expect(await runCli(['check'], run.cli)).toBe(1);
    expect(run.err.join('\n')).toMatch(/10 pages are missing from the search index \("Peer networks", "Gossip protocols", "Peer networks\/History", \.\.\.\)/);
    expect(run.err.join('\n')).toMatch(/rebuild them with npm run wiki -- check --reindex/);

    const fix = capture(db);
    expect(await runCli(['check', '--reindex'], fix.cli)).toBe(0);
    expect(fix.out).toEqual([`check: ${db} is sound (10 pages, 15 revisions, 14 stored texts, 10 pages reindexed)`]);
    withWiki(db, (stores) => {
      expect(stores.search.search('epidemic', 10, 0).map((h) => h.title)).toEqual(['Gossip protocols']);
      expect(stores.links.pagesLinkingTo('Gossip protocols').map((p) => p.title)).toEqual(['Peer networks']);
    });
    expect(count(db, 'SELECT count(*) FROM link') + count(db, 'SELECT count(*) FROM category_link')).toBe(linksBefore);
    expect(await runCli(['check'], capture(db).cli)).toBe(0);
  });

  it('--reindex drops index rows of pages that are gone', async () => {
    const { db } = wiki();
    const spam = count(db, "SELECT id FROM page WHERE title LIKE '#deleted:%'");
    withWiki(db, (stores) => stores.search.put(spam, 'Spam', 'buy now'));
    const run = capture(db);
    expect(await runCli(['check'], run.cli)).toBe(1);
    expect(run.err[0]).toMatch(/1 search entries and 0 link rows belong to pages that no longer exist/);
    expect(await runCli(['check', '--reindex'], capture(db).cli)).toBe(0);
    withWiki(db, (stores) => expect(stores.search.search('buy', 10, 0)).toEqual([]));
  });

  it('reindexing changes no page, revision or text', async () => {
    const { db } = wiki();
    const before = snapshot(db);
    expect(await runCli(['check', '--reindex'], capture(db).cli)).toBe(0);
    expect(snapshot(db)).toEqual(before);
  });

  it.each([
    { name: 'an argument', args: ['check', 'now'], error: /unexpected "now"\.\nusage: check \[--reindex\]/ },
    { name: 'an unknown flag', args: ['check', '--repair'], error: /Unknown option '--repair'/ },
  ])('refuses $name with exit 2', async ({ args, error }) => {
    const { db } = wiki();
    const run = capture(db);
    expect(await runCli(args, run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(error);
  });

  it('refuses when there is no database, and does not create one', async () => {
    const dir = tempDir();
    const run = capture(join(dir, 'missing.db'));
    expect(await runCli(['check'], run.cli)).toBe(2);
    expect(run.err[0]).toMatch(/there is no database at .*missing\.db; set WIKI_DB/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});
