/** `wiki migrate` on a database written before deltas: every replaced text packed, with progress, resumable. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import type { CliIo } from '../../server/cli/io.js';
import Database from 'better-sqlite3';
import { PAGE_SIZE, closeDatabase, openDatabase } from '../../server/db/connection.js';
import { BlameStore } from '../../server/db/blame.js';
import { ContentStore } from '../../server/db/content.js';
import { SearchStore } from '../../server/db/search.js';
import { createStores } from '../../server/db/stores.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { prng } from '../helpers/random.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const WORDS = 'peer network wiki node edit page link text share trust graph relay gossip swarm seed mesh radio'.split(' ');

/** A database at schema 11 (whole texts only) holding `pages` pages of `revisions` small edits each (in pages of `pageSize` bytes when given). */
function oldDatabase(pages: number, revisions: number, pageSize?: number): { file: string; texts: Map<number, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-pack-'));
  dirs.push(dir);
  const file = join(dir, 'wiki.db');
  if (pageSize !== undefined) {
    // A file made before PAGE_SIZE: its size is set before its first table, and kept from then on.
    const made = new Database(file);
    made.pragma(`page_size = ${pageSize}`);
    made.exec('CREATE TABLE made_with_small_pages (x); DROP TABLE made_with_small_pages');
    made.close();
  }
  const db = openDatabase(file);
  migrate(db, loadMigrations().filter((m) => m.id <= 11));
  const random = prng(3);
  const texts = new Map<number, string>();
  const now = new Date().toISOString();
  db.prepare("INSERT INTO actor (id, name, kind, created_at) VALUES (1, 'Writer', 'user', ?)").run(now);
  const content = db.prepare("INSERT INTO content (sha1, size, encoding, data) VALUES (?, ?, 'deflate', ?)");
  const revision = db.prepare('INSERT INTO revision (page_id, parent_id, actor_id, content_id, size, sha1, timestamp) VALUES (?, ?, 1, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let p = 1; p <= pages; p++) {
      db.prepare('INSERT INTO page (id, title, created_at) VALUES (?, ?, ?)').run(p, `Page ${p}`, now);
      const lines = Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' '));
      let parent: number | null = null;
      for (let r = 0; r < revisions; r++) {
        lines[Math.floor(random() * lines.length)] += ` and ${WORDS[r % WORDS.length]}`;
        const text = lines.join('\n');
        const bytes = Buffer.from(text);
        const sha1 = createHash('sha1').update(bytes).digest('hex');
        const cid = Number(content.run(sha1, bytes.length, deflateRawSync(bytes)).lastInsertRowid);
        texts.set(cid, text);
        parent = Number(revision.run(p, parent, cid, bytes.length, sha1, now).lastInsertRowid);
        // Authorship as it was stored then: JSON text.
        db.prepare('INSERT INTO blame_cache (revision_id, version, runs) VALUES (?, 1, ?)').run(parent, JSON.stringify([parent, 40]));
      }
      db.prepare('UPDATE page SET latest_id = ? WHERE id = ?').run(parent, p);
      db.prepare('INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)').run(p, `Page ${p}`, lines.join('\n'));
    }
  })();
  closeDatabase(db);
  return { file, texts };
}

/** The bytes the content table's pages take in the file. */
function contentBytes(file: string): number {
  const db = openDatabase(file);
  try {
    return db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = 'content'").pluck().get() as number;
  } finally {
    closeDatabase(db);
  }
}

function cliFor(file: string) {
  const out: string[] = [];
  const status: string[] = [];
  const cli: CliIo = { env: { WIKI_DB: file }, out: (l) => out.push(l), err: (l) => out.push(l), readStdin: async () => '', isTty: true, status: (s) => status.push(s) };
  return { cli, out, status };
}

describe('wiki migrate packs an existing history and its authorship', () => {
  it('stores every replaced text as a delta, shows progress, gives the space back, and every text reads back', async () => {
    const { file, texts } = oldDatabase(6, 30);
    const before = contentBytes(file);
    const { cli, out, status } = cliFor(file);
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out.join('\n')).toMatch(/applied \d+ migration\(s\): 12\b/);
    expect(out.join('\n')).toMatch(/stored 174 of 174 replaced texts as deltas/);
    expect(status.some((s) => s.includes('packing old revisions'))).toBe(true);
    expect(out.join('\n')).toMatch(/rewrote the authorship of 180 revisions in its compact form/);
    expect(out.join('\n')).toMatch(/compacted the database from \d+ to \d+ pages/);
    expect(contentBytes(file)).toBeLessThan(before / 4);
    const db = openDatabase(file);
    const content = new ContentStore(db);
    for (const [id, text] of texts) expect(content.read(id)).toBe(text);
    expect(content.verify(0, 1000).bad).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM blame_cache WHERE typeof(runs) <> 'blob'").pluck().get()).toBe(0);
    // SHA-1s kept as 20 bytes, read back as hex.
    expect(db.prepare("SELECT count(*) FROM content WHERE typeof(sha1) <> 'blob' OR length(sha1) <> 20").pluck().get()).toBe(0);
    // A revision's SHA-1 is its content row's (migration 0017): no copy is kept.
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('revision') WHERE name = 'sha1'").pluck().get()).toBe(0);
    expect(createStores(db).revisions.byId(1)!.sha1).toBe(createHash('sha1').update(texts.get(1)!).digest('hex'));
    // Each page keeps the authorship of its first revision and its latest six: 7 of 30.
    expect(out.join('\n')).toMatch(/dropped 138 rows/);
    expect(db.prepare('SELECT count(*) FROM blame_cache').pluck().get()).toBe(42);
    expect(new BlameStore(db).runs(61, 1)).toEqual([61, 40]);
    expect(new BlameStore(db).runs(77, 1)).toBeUndefined();
    // The search index holds no copy of the texts, and still finds the pages.
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'search_index_content'").pluck().get()).toBe(0);
    expect(new SearchStore(db).search('"gossip"', 10, 0).length).toBeGreaterThan(0);
    // Each page's latest text is whole.
    const latest = db.prepare('SELECT c.base_id FROM page p JOIN revision r ON r.id = p.latest_id JOIN content c ON c.id = r.content_id').pluck().all();
    expect(latest).toEqual(Array(6).fill(null));
    closeDatabase(db);
    // Nothing left to do the second time.
    const again = cliFor(file);
    expect(await runCli(['migrate'], again.cli)).toBe(0);
    expect(again.out).toEqual([`${file} is up to date`]);
  });

  it('goes on where a stopped run left off', async () => {
    const { file, texts } = oldDatabase(3, 20);
    const db = openDatabase(file);
    migrate(db);
    const content = new ContentStore(db);
    // A run that packed one batch and then died.
    db.transaction(() => content.packQueued(10))();
    expect(content.queued()).toBe(47);
    closeDatabase(db);
    const { cli, out } = cliFor(file);
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out.join('\n')).toMatch(/stored 47 of 47/);
    const after = openDatabase(file);
    const reread = new ContentStore(after);
    expect(reread.queued()).toBe(0);
    for (const [id, text] of texts) expect(reread.read(id)).toBe(text);
    expect(after.prepare('SELECT count(*) FROM content WHERE base_id IS NOT NULL').pluck().get()).toBe(57);
    closeDatabase(after);
  });

  it('gives back the pages a migration freed, even with nothing to pack', async () => {
    const { file } = oldDatabase(2, 3);
    const first = cliFor(file);
    expect(await runCli(['migrate'], first.cli)).toBe(0);
    // Free pages as a migration that rewrites a table leaves them (0017 dropped a column of revision).
    const db = openDatabase(file);
    db.exec(`CREATE TABLE scratch (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO scratch SELECT randomblob(${PAGE_SIZE - 100}) FROM n; DROP TABLE scratch;`);
    const freed = db.pragma('freelist_count', { simple: true }) as number;
    closeDatabase(db);
    expect(freed).toBeGreaterThan(150);
    const { cli, out } = cliFor(file);
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out.join('\n')).toMatch(/compacted the database from \d+ to \d+ pages/);
    const after = openDatabase(file);
    expect(after.pragma('freelist_count', { simple: true })).toBe(0);
    closeDatabase(after);
  });

  it('rewrites a database of smaller pages with pages of PAGE_SIZE, every text still there', async () => {
    const { file, texts } = oldDatabase(3, 10, 4096);
    const { cli, out } = cliFor(file);
    expect(await runCli(['migrate'], cli)).toBe(0);
    expect(out.join('\n')).toContain(`rewriting the database with pages of ${PAGE_SIZE} bytes instead of 4096`);
    expect(out.join('\n')).toMatch(new RegExp(`compacted the database from \\d+ to \\d+ pages of ${PAGE_SIZE} bytes`));
    const db = openDatabase(file);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    // Back in WAL mode, which the rewrite had to leave.
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const content = new ContentStore(db);
    for (const [id, text] of texts) expect(content.read(id)).toBe(text);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(db);
  });

  it('keeps the page size, and says how to change it, while another connection has the file open', async () => {
    const { file, texts } = oldDatabase(2, 5, 4096);
    const other = new Database(file, { readonly: true });
    try {
      other.prepare('SELECT count(*) FROM page').get();
      const { cli, out } = cliFor(file);
      expect(await runCli(['migrate'], cli)).toBe(0);
      expect(out.join('\n')).toContain(`keeps its pages of 4096 bytes while another process has it open: stop the wiki and run migrate again`);
    } finally {
      other.close();
    }
    const db = openDatabase(file);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    for (const [id, text] of texts) expect(new ContentStore(db).read(id)).toBe(text);
    closeDatabase(db);
  });

  it('creates a new database with pages of PAGE_SIZE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerwiki-pages-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'wiki.db'));
    migrate(db);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    closeDatabase(db);
  });
});
