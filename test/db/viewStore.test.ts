/** The view store shared by worker processes: bounded by bytes, safe under a busy lock, made anew when damaged. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_MS, ViewStore, viewStoreFile, WRITE_EVERY_MS, type StoredView } from '../../server/db/viewStore.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-views-'));
  dirs.push(dir);
  return join(dir, 'wiki.views.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const view = (key: string, bytes: number, etag = '"e"'): StoredView => ({
  key, etag, headers: JSON.stringify({ 'cache-control': 'public' }), titles: ['Peer network'], stamps: ['1:2:3'], body: Buffer.alloc(bytes, 'x'),
});

describe('ViewStore', () => {
  it('sits beside the wiki database, and in memory for an in-memory wiki', () => {
    expect(viewStoreFile('data/wiki.db')).toBe(join('data', 'wiki.views.db'));
    expect(viewStoreFile('/srv/peer/wiki')).toBe('/srv/peer/wiki.views.db');
    expect(viewStoreFile(':memory:')).toBe(':memory:');
  });

  it('gives back what was put once written, with its dependencies, and replaces by key', () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 100));
    // Writes are gathered: not there until the round of writes.
    expect(s.get('/wiki/A')).toBeUndefined();
    expect(s.flush()).toBe(true);
    const got = s.get('/wiki/A')!;
    expect(got.body.length).toBe(100);
    expect(got.titles).toEqual(['Peer network']);
    expect(got.stamps).toEqual(['1:2:3']);
    expect(JSON.parse(got.headers)).toEqual({ 'cache-control': 'public' });
    s.put(view('/wiki/A', 40, '"f"'));
    s.flush();
    expect(s.get('/wiki/A')!.etag).toBe('"f"');
    expect(s.size).toBe(40);
    expect(s.get('/wiki/B')).toBeUndefined();
    s.close();
  });

  it('writes on its own within a moment', async () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 10));
    await new Promise((r) => setTimeout(r, WRITE_EVERY_MS * 4));
    expect(s.get('/wiki/A')).toBeDefined();
    s.close();
  });

  it('is bounded by bytes, dropping the least recently used', () => {
    const s = new ViewStore(':memory:', 'g1', { maxBytes: 10_000 });
    for (let i = 0; i < 30; i++) {
      s.put(view(`/wiki/P${i}`, 1_000));
      s.flush();
    }
    expect(s.size).toBeLessThanOrEqual(10_000);
    expect(s.size).toBeGreaterThan(5_000);
    expect(s.get('/wiki/P29')).toBeDefined();
    s.close();
  });

  it('drops a stale entry only while it is the one found stale', () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 10, '"old"'));
    s.put(view('/wiki/A', 10, '"new"'));
    s.drop('/wiki/A', '"old"');
    s.flush();
    expect(s.get('/wiki/A')?.etag).toBe('"new"');
    s.drop('/wiki/A', '"new"');
    s.flush();
    expect(s.get('/wiki/A')).toBeUndefined();
    expect(s.size).toBe(0);
    s.close();
  });

  it('is shared by every connection to its file and kept across restarts, for views of the same generation only', async () => {
    const file = tempFile();
    const a = new ViewStore(file, 'g1');
    const b = new ViewStore(file, 'g1');
    a.put(view('/wiki/A', 50));
    a.close();
    expect(b.get('/wiki/A')?.body.length).toBe(50);
    // A new build or other settings: the old bytes are never served, and are dropped at start.
    const next = new ViewStore(file, 'g2');
    expect(next.get('/wiki/A')).toBeUndefined();
    next.dropOtherGenerations();
    // b reads in a snapshot that lasts SNAPSHOT_MS at most.
    await new Promise((r) => setTimeout(r, SNAPSHOT_MS * 2));
    expect(b.get('/wiki/A')).toBeUndefined();
    expect(next.size).toBe(0);
    b.close();
    next.close();
  });

  it('never waits for another process holding the lock: the writes wait for a later round', async () => {
    const file = tempFile();
    const s = new ViewStore(file, 'g1');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    s.put(view('/wiki/A', 10));
    expect(s.flush()).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1_000);
    // Reads go on meanwhile (WAL).
    expect(s.get('/wiki/A')).toBeUndefined();
    other.exec('COMMIT');
    expect(s.flush()).toBe(true);
    await new Promise((r) => setTimeout(r, SNAPSHOT_MS * 2));
    expect(s.get('/wiki/A')).toBeDefined();
    other.close();
    s.close();
  });

  it('makes a damaged file anew: it only ever holds copies', () => {
    const file = tempFile();
    writeFileSync(file, 'not a database, '.repeat(1_000));
    const s = new ViewStore(file, 'g1');
    s.put(view('/wiki/A', 10));
    s.flush();
    expect(s.get('/wiki/A')).toBeDefined();
    s.close();
  });
});
