import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'peerwiki-migrate-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
  it('applies the project migrations once, in order, and records them', () => {
    const db = openDatabase(':memory:');
    const first = migrate(db);
    expect(first).toEqual(loadMigrations().map((m) => m.id));
    expect(first[0]).toBe(1);
    expect(migrate(db)).toEqual([]);
    const recorded = db.prepare('SELECT id FROM schema_migration ORDER BY id').pluck().all();
    expect(recorded).toEqual(first);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['page', 'revision', 'content', 'actor', 'page_link', 'link_target', 'render_cache']));
  });

  it('rolls a failing migration back completely and applies nothing after it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '0001_one.sql'), 'CREATE TABLE one (id INTEGER);');
    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE two (id INTEGER); INSERT INTO nowhere VALUES (1);');
    writeFileSync(join(dir, '0003_three.sql'), 'CREATE TABLE three (id INTEGER);');
    const db = openDatabase(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/nowhere/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['one', 'schema_migration']);
    expect(db.prepare('SELECT id FROM schema_migration').pluck().all()).toEqual([1]);
  });

  it.each([
    { name: 'a badly named file', files: { '1_x.sql': '' }, error: /NNNN_name\.sql/ },
    { name: 'two files with one number', files: { '0001_a.sql': '', '0001_b.sql': '' }, error: /two migrations are numbered 1/ },
  ])('refuses $name', ({ files, error }) => {
    const dir = tempDir();
    for (const [f, sql] of Object.entries(files)) writeFileSync(join(dir, f), sql);
    expect(() => loadMigrations(dir)).toThrow(error);
  });

  it('opens files in WAL mode with foreign keys on, creating the folder', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'nested', 'wiki.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    migrate(db);
    expect(() => db.prepare("INSERT INTO revision (page_id, actor_id, content_id, size, timestamp) VALUES (99, 99, 99, 0, 'y')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
