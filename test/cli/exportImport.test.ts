import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { checkLogin } from '../../server/auth/accounts.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { buildSampleWiki, capture, cleanupDirs, count, snapshot, tempDir, withWiki } from '../helpers/cli.js';

afterEach(cleanupDirs);

/** A sample wiki exported to a folder; returns the paths. */
async function exported() {
  const dir = tempDir();
  const source = join(dir, 'a.db');
  buildSampleWiki(source);
  const out = join(dir, 'export');
  const run = capture(source);
  expect(await runCli(['export', out], run.cli)).toBe(0);
  return { dir, source, out, run };
}

function history(out: string) {
  return JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
    format: string; pageCount: number; revisionCount: number;
    pages: { title: string; file: string; revisions: number; deleted?: { key: string; by: string; reason: string } }[];
    revisions: { page: string; author: string; authorKind: string; source: string; sha1: string; tags: string[] }[];
  };
}

describe('wiki export', () => {
  it('writes one .md file per live page with its latest source, and every revision to history.json', async () => {
    const { source, out, run } = await exported();
    const doc = history(out);
    expect(doc.format).toBe('peerwiki-export');
    const live = doc.pages.filter((p) => !p.deleted);
    const titles = live.map((p) => p.title);
    expect(titles).not.toContain('Spam');
    // The deleted page is listed as deleted, with no file; its revisions name it by its key.
    const spam = doc.pages.find((p) => p.deleted)!;
    expect(spam).toMatchObject({ title: 'Spam', file: '', revisions: 1, deleted: { by: 'Alice', reason: 'spam' } });
    expect(doc.revisions.filter((r) => r.page === spam.deleted!.key).map((r) => r.source)).toEqual(['Buy now!\n']);
    expect(doc.pageCount).toBe(doc.pages.length);
    expect(doc.revisionCount).toBe(doc.revisions.length);
    expect(doc.revisions).toHaveLength(snapshot(source).reduce((n, p) => n + p.revisions.length, 0) + 1);
    const files = readdirSync(out).sort();
    expect(files).toEqual([...live.map((p) => p.file), 'history.json'].sort());
    for (const p of snapshot(source)) {
      const file = doc.pages.find((d) => d.title === p.title)!.file;
      expect(readFileSync(join(out, file), 'utf8')).toBe(p.revisions.at(-1)!.text);
    }
    expect(run.out).toEqual([expect.stringMatching(new RegExp(`^exported ${titles.length} pages \\(and 1 deleted\\), ${doc.revisions.length} revisions and \\d+ other records \\(accounts, protections, blocks, log, watchlists\\) to .*export \\(\\d+ bytes of history.json\\)$`))]);
  });

  it('names files safely and reversibly, and never lets two titles share one', async () => {
    const { out } = await exported();
    const byTitle = Object.fromEntries(history(out).pages.map((p) => [p.title, p.file]));
    expect(byTitle).toMatchObject({
      'Peer networks': 'Peer_networks.md',
      'Peer networks/History': 'Peer_networks%2FHistory.md',
      'Talk:Peer networks': 'Talk%3APeer_networks.md',
      '100% pure: a/b\\c?': '100%25_pure%3A_a%2Fb%5Cc%3F.md',
      '.hidden': '%2Ehidden.md',
      Con: '%43on.md',
    });
    // Differs from Peer_networks.md only in case: a case-folding file system would merge them.
    expect(byTitle['Peer Networks']).toMatch(/^Peer_Networks~[0-9a-f]{12}\.md$/);
    const folded = Object.values(byTitle).map((f) => f.toLowerCase());
    expect(new Set(folded).size).toBe(folded.length);
  });

  it.each([
    { name: 'no DIR', args: ['export'], error: /missing DIR/ },
    { name: 'two DIRs', args: ['export', 'a', 'b'], error: /unexpected "b"/ },
    { name: 'an unknown flag', args: ['export', 'x', '--zip'], error: /Unknown option '--zip'/ },
  ])('refuses $name with exit 2', async ({ args, error }) => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    buildSampleWiki(db);
    const run = capture(db);
    expect(await runCli(args, run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(error);
    expect(run.err.join('\n')).toMatch(/usage: export DIR/);
  });

  it('refuses a folder that is not empty, or a file, and writes nothing', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    buildSampleWiki(db);
    mkdirSync(join(dir, 'full'));
    writeFileSync(join(dir, 'full', 'notes.txt'), 'mine');
    const run = capture(db);
    expect(await runCli(['export', join(dir, 'full')], run.cli)).toBe(2);
    expect(run.err[0]).toMatch(/is not empty; export into a new or empty folder/);
    expect(readdirSync(join(dir, 'full'))).toEqual(['notes.txt']);
    expect(await runCli(['export', join(dir, 'full', 'notes.txt')], run.cli)).toBe(2);
    expect(run.err[1]).toMatch(/is a file/);
  });

  it('refuses when there is no database, and does not create one', async () => {
    const dir = tempDir();
    const run = capture(join(dir, 'missing.db'));
    expect(await runCli(['export', join(dir, 'out')], run.cli)).toBe(2);
    expect(run.err[0]).toMatch(/there is no database at .*missing\.db; set WIKI_DB/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('wiki import', () => {
  it('reproduces pages, revisions, authors, timestamps and hashes exactly in an empty wiki', async () => {
    const { dir, source, out } = await exported();
    const target = join(dir, 'b.db');
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(0);
    expect(snapshot(target)).toEqual(snapshot(source));
    const revisions = history(out).revisions.length;
    expect(run.out).toEqual([expect.stringMatching(new RegExp(`^imported ${revisions} revisions into 11 pages \\(10 new pages, 6 new accounts\\) from .*; 0 of its ${revisions} revisions were already here; added 0 protections, 0 blocks, 1 log entries and 12 watches$`))]);
  });

  it('creates the accounts with their roles: users without a password, temporary accounts still temporary', async () => {
    const { dir, out } = await exported();
    const target = join(dir, 'b.db');
    await runCli(['import', out], capture(target).cli);
    let login: Promise<unknown> | undefined;
    withWiki(target, (stores) => {
      const alice = stores.actors.byName('Alice')!;
      expect(alice).toMatchObject({ kind: 'user', role: 'admin', editCount: 7 });
      expect(stores.actors.passwordHash(alice.id)).toBeUndefined();
      login = checkLogin(stores, 'Alice', ''); // reads the account now; awaited below
      expect(stores.actors.byName('Bob Smith')).toMatchObject({ kind: 'user' });
      const temps = history(out).revisions.filter((r) => r.authorKind === 'temp').map((r) => r.author);
      for (const name of temps) expect(stores.actors.byName(name)).toMatchObject({ kind: 'temp' });
      // Every account comes over, also the temporary one whose only edit was to the deleted page.
      expect(count(target, "SELECT count(*) FROM actor WHERE kind = 'temp'")).toBe(new Set(temps).size);
      // New temporary accounts do not collide with imported ones.
      const fresh = stores.actors.createTemporary();
      expect(temps).not.toContain(fresh.name);
    });
    expect(await login).toBeUndefined();
  });

  it('rebuilds links, categories, redirects and the search index', async () => {
    const { dir, out } = await exported();
    const target = join(dir, 'b.db');
    await runCli(['import', out], capture(target).cli);
    withWiki(target, (stores, db) => {
      expect(stores.links.pagesLinkingTo('Gossip protocols').map((p) => p.title)).toEqual(['Peer networks']);
      expect(db.prepare("SELECT category FROM category_link").pluck().all()).toEqual(['Networks']);
      expect(stores.pages.byTitle(parseTitle('P2P'))!.isRedirect).toBe(true);
      expect(stores.search.search('epidemic', 10, 0).map((h) => h.title)).toEqual(['Gossip protocols']);
    });
  });

  it('adds nothing when run twice', async () => {
    const { dir, out } = await exported();
    const target = join(dir, 'b.db');
    await runCli(['import', out], capture(target).cli);
    const before = snapshot(target);
    const actors = count(target, 'SELECT count(*) FROM actor');
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(0);
    expect(run.out[0]).toMatch(/^imported 0 revisions into 0 pages \(0 new pages, 0 new accounts\) from .*; (\d+) of its \1 revisions were already here; added 0 protections, 0 blocks, 0 log entries and 0 watches$/);
    expect(snapshot(target)).toEqual(before);
    expect(count(target, 'SELECT count(*) FROM actor')).toBe(actors);
  });

  it('adds only the new revisions of a later export, and leaves pages edited here alone', async () => {
    const { dir, source, out } = await exported();
    const target = join(dir, 'b.db');
    await runCli(['import', out], capture(target).cli);
    withWiki(source, (stores) => {
      const t = parseTitle('Gossip protocols');
      saveEdit(stores, { title: t, source: 'Newer text.\n', baseId: stores.pages.byTitle(t)!.latestId, actor: stores.actors.byName('Alice')!, timestamp: '2024-02-01T00:00:00.000Z' });
    });
    withWiki(target, (stores) => {
      const t = parseTitle('Peer networks');
      saveEdit(stores, { title: t, source: 'Edited in the new wiki.\n', baseId: stores.pages.byTitle(t)!.latestId, actor: stores.actors.byName('Bob Smith')! });
    });
    const later = join(dir, 'later');
    await runCli(['export', later], capture(source).cli);
    const run = capture(target);
    expect(await runCli(['import', later], run.cli)).toBe(0);
    expect(run.out[0]).toMatch(/^imported 1 revisions into 1 pages/);
    const pages = snapshot(target);
    expect(pages.find((p) => p.title === 'Gossip protocols')!.revisions.at(-1)!.text).toBe('Newer text.\n');
    expect(pages.find((p) => p.title === 'Peer networks')!.revisions.at(-1)!.text).toBe('Edited in the new wiki.\n');
  });

  it('refuses, changing nothing, when a page here has a different history', async () => {
    const { dir, out } = await exported();
    const target = join(dir, 'b.db');
    withWiki(target, (stores) => {
      saveEdit(stores, { title: parseTitle('Gossip protocols'), source: 'Our own page.\n', baseId: null, actor: stores.actors.system() });
    });
    const before = snapshot(target);
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(/1 pages here have histories that differ from the import; nothing was imported:\n {2}page "Gossip protocols" differs .* revision 1[^]*Move or delete those pages here, or import into a new wiki/);
    expect(snapshot(target)).toEqual(before);
  });

  it('reads a history.json that another tool pretty-printed', async () => {
    const { dir, source, out } = await exported();
    writeFileSync(join(out, 'history.json'), JSON.stringify(history(out), null, 2));
    const target = join(dir, 'b.db');
    expect(await runCli(['import', out], capture(target).cli)).toBe(0);
    expect(snapshot(target)).toEqual(snapshot(source));
  });

  /** Rewrite one line of history.json: the line of the first revision of "Gossip protocols". */
  function tamper(out: string, edit: (record: Record<string, unknown>) => unknown) {
    const file = join(out, 'history.json');
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"page":"Gossip protocols"'));
    const comma = lines[i]!.endsWith(',');
    const record = JSON.parse(comma ? lines[i]!.slice(0, -1) : lines[i]!);
    const edited = edit(record);
    lines[i] = (typeof edited === 'string' ? edited : JSON.stringify(edited)) + (comma ? ',' : '');
    writeFileSync(file, lines.join('\n'));
    return i + 1;
  }

  it.each([
    { name: 'an edited source', edit: (r: Record<string, unknown>) => ({ ...r, source: 'changed' }), error: /line \d+: the source of revision \d+ of "Gossip protocols" does not hash to its sha1/ },
    { name: 'a bad title', edit: (r: Record<string, unknown>) => ({ ...r, page: 'a[b]' }), error: /line \d+: "a\[b\]" is not a valid title: Title may not contain "\["/ },
    { name: 'a bad author kind', edit: (r: Record<string, unknown>) => ({ ...r, authorKind: 'robot' }), error: /line \d+: "authorKind" must be user, temp or system/ },
    { name: 'an author kind that changes', edit: (r: Record<string, unknown>) => ({ ...r, authorKind: 'temp' }), error: /author "Bob Smith" is a user account on an earlier line but a temp account on this one/ },
    { name: 'a temporary name without "~"', edit: (r: Record<string, unknown>) => ({ ...r, author: 'Carol', authorKind: 'temp' }), error: /author "Carol" cannot be created: temporary account names start with "~"/ },
    { name: 'a user name that is not allowed', edit: (r: Record<string, unknown>) => ({ ...r, author: 'x@y' }), error: /author "x@y" cannot be created: User name may not contain/ },
    { name: 'a broken line', edit: () => '{"page":', error: /line \d+: not valid JSON/ },
  ])('refuses history.json with $name: exit 2, no database created', async ({ edit, error }) => {
    const { dir, out } = await exported();
    const line = tamper(out, edit);
    const target = join(dir, 'b.db');
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(error);
    expect(run.err.join('\n')).toContain(`line ${line}`);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a cut-short history.json and an existing wiki is left as it was', async () => {
    const { dir, out } = await exported();
    const file = join(out, 'history.json');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.lastIndexOf('\n{"page"')));
    const target = join(dir, 'b.db');
    withWiki(target, () => {});
    const run = capture(target);
    expect(await runCli(['import', out], run.cli)).toBe(2);
    expect(run.err[0]).toMatch(/cut short|listed with \d+ revisions but has \d+/);
    expect(count(target, 'SELECT count(*) FROM revision')).toBe(0);
  });

  it.each([
    { name: 'no DIR', args: () => ['import'], error: /missing DIR/ },
    { name: 'a DIR that does not exist', args: (d: string) => ['import', join(d, 'nowhere')], error: /there is no folder .*nowhere; give the folder that wiki export wrote/ },
    { name: 'a DIR without history.json', args: (d: string) => ['import', d], error: /has no history.json; give a folder written by wiki export/ },
    { name: 'a file that is not an export', args: (d: string) => (writeFileSync(join(d, 'history.json'), '{"hello":1}'), ['import', d]), error: /not a Peerwiki export/ },
  ])('refuses $name with exit 2 and creates no database', async ({ args, error }) => {
    const dir = tempDir();
    const target = join(dir, 'b.db');
    const run = capture(target);
    expect(await runCli(args(dir), run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(error);
    expect(existsSync(target)).toBe(false);
  });
});
