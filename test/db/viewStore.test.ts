/** The view store shared by worker processes: bounded by bytes, safe under a busy lock, made anew when damaged. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ViewStore, viewStoreFile, type StoredView } from '../../server/db/viewStore.js';

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

  it('gives back what was put, with its dependencies, and replaces by key', () => {
    const s = new ViewStore(':memory:');
    s.put(view('/wiki/A', 100));
    const got = s.get('/wiki/A')!;
    expect(got.body.length).toBe(100);
    expect(got.titles).toEqual(['Peer network']);
    expect(got.stamps).toEqual(['1:2:3']);
    expect(JSON.parse(got.headers)).toEqual({ 'cache-control': 'public' });
    s.put(view('/wiki/A', 40, '"f"'));
    expect(s.get('/wiki/A')!.etag).toBe('"f"');
    expect(s.size).toBe(40);
    expect(s.get('/wiki/B')).toBeUndefined();
    s.close();
  });

  it('is bounded by bytes, dropping the least recently used', () => {
    const s = new ViewStore(':memory:', 10_000);
    for (let i = 0; i < 30; i++) s.put(view(`/wiki/P${i}`, 1_000));
    expect(s.size).toBeLessThanOrEqual(10_000);
    expect(s.size).toBeGreaterThan(5_000);
    // The newest are kept, the oldest gone.
    expect(s.get('/wiki/P29')).toBeDefined();
    expect(s.get('/wiki/P0')).toBeUndefined();
    s.close();
  });

  it('drops a stale entry only while it is the one found stale', () => {
    const s = new ViewStore(':memory:');
    s.put(view('/wiki/A', 10, '"old"'));
    s.put(view('/wiki/A', 10, '"new"'));
    s.drop('/wiki/A', '"old"');
    expect(s.get('/wiki/A')?.etag).toBe('"new"');
    s.drop('/wiki/A', '"new"');
    expect(s.get('/wiki/A')).toBeUndefined();
    expect(s.size).toBe(0);
    s.close();
  });

  it('is shared by every connection to its file, and emptied by clear', () => {
    const file = tempFile();
    const a = new ViewStore(file);
    const b = new ViewStore(file);
    a.put(view('/wiki/A', 50));
    expect(b.get('/wiki/A')?.body.length).toBe(50);
    ViewStore.clear(file);
    expect(b.get('/wiki/A')).toBeUndefined();
    expect(b.size).toBe(0);
    a.close();
    b.close();
  });

  it('skips a put while another process holds the lock, without failing or waiting long', () => {
    const file = tempFile();
    const s = new ViewStore(file);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const t0 = Date.now();
    expect(() => s.put(view('/wiki/A', 10))).not.toThrow();
    expect(Date.now() - t0).toBeLessThan(2_000);
    other.exec('COMMIT');
    expect(s.get('/wiki/A')).toBeUndefined();
    s.put(view('/wiki/A', 10));
    expect(s.get('/wiki/A')).toBeDefined();
    other.close();
    s.close();
  });

  it('makes a damaged file anew: it only ever holds copies', () => {
    const file = tempFile();
    writeFileSync(file, 'not a database, '.repeat(1_000));
    const s = new ViewStore(file);
    s.put(view('/wiki/A', 10));
    expect(s.get('/wiki/A')).toBeDefined();
    s.close();
  });
});
