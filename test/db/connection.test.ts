import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../server/db/connection.js';

const dirs: string[] = [];
const open: Db[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'peerwiki-connection-'));
  dirs.push(d);
  return d;
}
function opened(file: string): Db {
  const db = openDatabase(file);
  open.push(db);
  return db;
}
afterEach(() => {
  open.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('openDatabase', () => {
  it.each([
    { name: 'WAL journal', pragma: 'journal_mode', value: 'wal' },
    { name: 'NORMAL sync (1)', pragma: 'synchronous', value: 1 },
    { name: 'foreign keys on', pragma: 'foreign_keys', value: 1 },
    { name: 'a busy timeout of 5 s', pragma: 'busy_timeout', value: 5000 },
    { name: 'an 8 MiB page cache', pragma: 'cache_size', value: -8192 },
    // In pages, less each page's own bookkeeping; 0 would mean never spilling at all.
    { name: 'no spilling below 16 MiB of dirty pages', pragma: 'cache_spill', value: 2014 },
    { name: '8 KiB pages', pragma: 'page_size', value: 8192 },
  ])('sets $name on a file', ({ pragma, value }) => {
    const db = opened(join(tempDir(), 'wiki.db'));
    expect(db.pragma(pragma, { simple: true })).toBe(value);
  });

  it.each([
    { name: 'foreign keys on', pragma: 'foreign_keys', value: 1 },
    { name: 'a busy timeout of 5 s', pragma: 'busy_timeout', value: 5000 },
    // SQLite keeps an in-memory database's journal in memory: WAL does not apply.
    { name: 'a memory journal', pragma: 'journal_mode', value: 'memory' },
  ])('sets $name on :memory:', ({ pragma, value }) => {
    expect(opened(':memory:').pragma(pragma, { simple: true })).toBe(value);
  });

  it('creates missing folders for a file, and none for :memory:', () => {
    const dir = tempDir();
    opened(join(dir, 'a', 'b', 'wiki.db'));
    expect(existsSync(join(dir, 'a', 'b', 'wiki.db'))).toBe(true);
    const before = readdirSync(process.cwd());
    opened(':memory:');
    expect(readdirSync(process.cwd())).toEqual(before);
  });

  it('enforces foreign keys', () => {
    const db = opened(':memory:');
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent (id));');
    expect(() => db.prepare('INSERT INTO child VALUES (1)').run()).toThrow(/FOREIGN KEY/);
  });
});

describe('closeDatabase', () => {
  it('checkpoints the WAL into the main file even while another connection reads', () => {
    const dir = tempDir();
    const file = join(dir, 'wiki.db');
    const reader = opened(file);
    const writer = opened(file);
    writer.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept')");
    // A reader mid-transaction stops SQLite's own checkpoint-on-close: only closeDatabase's copies the pages.
    reader.exec('BEGIN');
    reader.prepare('SELECT x FROM t').all();
    writer.pragma('busy_timeout = 0'); // the WAL cannot be truncated under the reader: do not wait for it
    closeDatabase(writer);
    expect(writer.open).toBe(false);
    copyFileSync(file, join(dir, 'main-only.db')); // the main file without its WAL
    const copy = opened(join(dir, 'main-only.db'));
    expect(copy.prepare('SELECT x FROM t').pluck().get()).toBe('kept');
    reader.exec('COMMIT');
  });

  it('is safe to call twice', () => {
    const db = opened(':memory:');
    closeDatabase(db);
    expect(() => closeDatabase(db)).not.toThrow();
    expect(db.open).toBe(false);
  });
});
