import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { openDatabase } from '../../server/db/connection.js';
import { buildSampleWiki, capture, cleanupDirs, count, snapshot, tempDir } from '../helpers/cli.js';

afterEach(cleanupDirs);

function wiki() {
  const dir = tempDir();
  const db = join(dir, 'wiki.db');
  buildSampleWiki(db);
  return { dir, db };
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('wiki backup', () => {
  it('writes a valid database with the same content, as one self-contained file', async () => {
    const { dir, db } = wiki();
    const file = join(dir, 'copy.db');
    const run = capture(db);
    expect(await runCli(['backup', file], run.cli)).toBe(0);
    expect(integrity(file)).toBe('ok');
    expect(snapshot(file)).toEqual(snapshot(db));
    expect(count(file, 'SELECT count(*) FROM actor')).toBe(count(db, 'SELECT count(*) FROM actor'));
    const revisions = count(db, 'SELECT count(*) FROM revision');
    expect(run.out).toEqual([expect.stringMatching(new RegExp(`^backed up 10 pages, ${revisions} revisions, \\d+ bytes to ${file}$`))]);
    expect(readdirSync(dir).filter((f) => f.startsWith('copy'))).toEqual(['copy.db']);
  });

  it('finishes with a consistent copy while another connection keeps writing', async () => {
    const { dir, db } = wiki();
    // Enough pages that the copy takes many steps, each of which a write restarts.
    const server = openDatabase(db);
    const insert = server.prepare("INSERT INTO setting (key, value) VALUES (?, ?)");
    for (let i = 0; i < 3000; i++) insert.run(`filler ${i}`, 'x'.repeat(1000));
    let writes = 0;
    let stop = false;
    const write = () => {
      if (stop) return;
      insert.run(`during ${writes++}`, 'y');
      setImmediate(write);
    };
    setImmediate(write);
    const file = join(dir, 'copy.db');
    try {
      expect(await runCli(['backup', file], capture(db).cli)).toBe(0);
    } finally {
      stop = true;
      server.close();
    }
    expect(writes).toBeGreaterThan(0);
    expect(integrity(file)).toBe('ok');
    const copied = count(file, "SELECT count(*) FROM setting WHERE key LIKE 'during %'");
    expect(copied).toBeLessThanOrEqual(writes);
    // Consistent: the writes in the copy are exactly the first `copied` ones, none missing in between.
    expect(count(file, `SELECT count(*) FROM setting WHERE key = 'during ${Math.max(0, copied - 1)}'`)).toBe(copied > 0 ? 1 : 0);
  });

  it('refuses to replace an existing file unless --force, then replaces it whole', async () => {
    const { dir, db } = wiki();
    const file = join(dir, 'old.db');
    writeFileSync(file, 'my precious notes');
    const run = capture(db);
    expect(await runCli(['backup', file], run.cli)).toBe(2);
    expect(run.err[0]).toBe(`wiki: ${file} already exists; pick another FILE, or add --force to replace it.`);
    expect(readFileSync(file, 'utf8')).toBe('my precious notes');
    writeFileSync(`${file}-wal`, 'stale');
    expect(await runCli(['backup', file, '--force'], run.cli)).toBe(0);
    expect(integrity(file)).toBe('ok');
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(snapshot(file)).toEqual(snapshot(db));
  });

  it.each([
    { name: 'no FILE', args: () => ['backup'], error: /missing FILE\.\nusage: backup FILE \[--force\]/ },
    { name: 'an unknown flag', args: (d: string) => ['backup', join(d, 'x.db'), '--fast'], error: /Unknown option '--fast'/ },
    { name: 'a folder that does not exist', args: (d: string) => ['backup', join(d, 'nowhere', 'x.db')], error: /the folder .*nowhere does not exist; create it first/ },
    { name: 'a folder as FILE', args: (d: string) => (mkdirSync(join(d, 'sub')), ['backup', join(d, 'sub'), '--force']), error: /sub is a folder; give a file name/ },
    { name: 'the database itself', args: (d: string) => ['backup', join(d, 'wiki.db'), '--force'], error: /is the wiki's own database/ },
  ])('refuses $name with exit 2 and writes nothing', async ({ args, error }) => {
    const { dir, db } = wiki();
    const argv = args(dir);
    const before = readdirSync(dir).sort();
    const run = capture(db);
    expect(await runCli(argv, run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(error);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(integrity(db)).toBe('ok');
  });

  it('refuses when there is no database, and does not create one', async () => {
    const dir = tempDir();
    const run = capture(join(dir, 'missing.db'));
    expect(await runCli(['backup', join(dir, 'copy.db')], run.cli)).toBe(2);
    expect(run.err[0]).toMatch(/there is no database at .*missing\.db/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
