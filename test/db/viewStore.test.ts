/** The view store shared by worker processes: bounded by bytes, shared through its folder, safe after a crash. */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REFRESH_MS, ViewStore, viewStoreDir, WRITE_EVERY_MS, type StoredView } from '../../server/db/viewStore.js';

const dirs: string[] = [];
function tempRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-views-'));
  dirs.push(dir);
  return join(dir, 'wiki.views');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const view = (key: string, bytes: number, etag = '"e"'): StoredView => ({
  key, etag, headers: JSON.stringify({ 'cache-control': 'public' }), titles: ['Peer network'], stamps: ['1:2:3'], epoch: 7, body: Buffer.alloc(bytes, 'x'),
});
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const segments = (root: string, generation: string) => readdirSync(join(root, generation)).filter((n) => n.endsWith('.seg'));

describe('ViewStore', () => {
  it('sits beside the wiki database, and in a private folder for an in-memory wiki', () => {
    expect(viewStoreDir('data/wiki.db')).toBe(join('data', 'wiki.views'));
    expect(viewStoreDir('/srv/peer/wiki')).toBe('/srv/peer/wiki.views');
    expect(viewStoreDir(':memory:')).toBe(':memory:');
  });

  it('gives back what was put once written, with its dependencies, and replaces by key', () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 100));
    // Writes are gathered: not there until the round of writes.
    expect(s.get('/wiki/A')).toBeUndefined();
    expect(s.flush()).toBe(true);
    const got = s.get('/wiki/A')!;
    expect(got.body).toEqual(Buffer.alloc(100, 'x'));
    expect(got.titles).toEqual(['Peer network']);
    expect(got.stamps).toEqual(['1:2:3']);
    expect(got.epoch).toBe(7);
    expect(JSON.parse(got.headers)).toEqual({ 'cache-control': 'public' });
    s.put(view('/wiki/A', 40, '"f"'));
    s.flush();
    expect(s.get('/wiki/A')!.etag).toBe('"f"');
    expect(s.get('/wiki/A')!.body.length).toBe(40);
    expect(s.get('/wiki/B')).toBeUndefined();
    s.close();
  });

  it('keeps keys and bodies of any length and alphabet', () => {
    const s = new ViewStore(':memory:', 'g1');
    const long = `/wiki/${'Ü'.repeat(2_000)}`;
    s.put({ ...view(long, 3), body: Buffer.from('héé') });
    s.put(view('/wiki/Empty', 0));
    s.flush();
    expect(s.get(long)!.body.toString()).toBe('héé');
    expect(s.get('/wiki/Empty')!.body.length).toBe(0);
    s.close();
    // Looked through anew by another process (the long key takes a second read there).
    const root = tempRoot();
    const a = new ViewStore(root, 'g1');
    a.put({ ...view(long, 3), body: Buffer.from('héé') });
    a.close();
    const b = new ViewStore(root, 'g1');
    expect(b.get(long)!.body.toString()).toBe('héé');
    b.close();
  });

  it('writes on its own within a moment', async () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 10));
    await later(WRITE_EVERY_MS * 4);
    expect(s.get('/wiki/A')).toBeDefined();
    s.close();
  });

  it('is bounded by bytes, dropping the oldest segments', () => {
    const root = tempRoot();
    const s = new ViewStore(root, 'g1', { maxBytes: 20_000, segmentBytes: 4_000 });
    for (let i = 0; i < 60; i++) {
      s.put(view(`/wiki/P${i}`, 1_000));
      s.flush();
    }
    expect(s.size).toBeLessThanOrEqual(20_000);
    expect(s.size).toBeGreaterThan(10_000);
    expect(segments(root, 'g1').length).toBeLessThanOrEqual(20_000 / 3_000);
    expect(s.get('/wiki/P59')).toBeDefined();
    expect(s.get('/wiki/P0')).toBeUndefined();
    s.close();
  });

  it('writes a view read from the oldest segments again, so what is read is not dropped', () => {
    const s = new ViewStore(tempRoot(), 'g1', { maxBytes: 20_000, segmentBytes: 4_000 });
    s.put(view('/wiki/Popular', 1_000));
    s.flush();
    for (let i = 0; i < 60; i++) {
      s.put(view(`/wiki/P${i}`, 1_000));
      s.flush();
      expect(s.get('/wiki/Popular')).toBeDefined();
    }
    expect(s.get('/wiki/P0')).toBeUndefined();
    s.close();
  });

  it('forgets an entry found stale in this process', () => {
    const s = new ViewStore(':memory:', 'g1');
    s.put(view('/wiki/A', 10));
    s.flush();
    s.drop('/wiki/A');
    expect(s.get('/wiki/A')).toBeUndefined();
    s.put(view('/wiki/A', 10, '"new"'));
    s.flush();
    expect(s.get('/wiki/A')?.etag).toBe('"new"');
    s.close();
  });

  it('is shared by every process using its folder and kept across restarts, for views of the same generation only', async () => {
    const root = tempRoot();
    const a = new ViewStore(root, 'g1');
    const b = new ViewStore(root, 'g1');
    a.put(view('/wiki/A', 50));
    expect(b.get('/wiki/A')).toBeUndefined();
    a.flush();
    // b looks for what others wrote when it misses, at most every REFRESH_MS.
    await later(REFRESH_MS * 2);
    expect(b.get('/wiki/A')?.body.length).toBe(50);
    a.close();
    const again = new ViewStore(root, 'g1');
    expect(again.get('/wiki/A')?.body.length).toBe(50);
    again.close();
    // A new build or other settings: the old bytes are never served, and are dropped at start.
    const next = new ViewStore(root, 'g2');
    expect(next.get('/wiki/A')).toBeUndefined();
    next.dropOtherGenerations();
    expect(readdirSync(root)).toEqual(['g2']);
    // b had the segment open: it stops serving from it when it next looks.
    await later(REFRESH_MS * 2);
    b.put(view('/wiki/B', 5));
    b.flush();
    expect(b.get('/wiki/Missing')).toBeUndefined();
    expect(b.get('/wiki/A')).toBeUndefined();
    b.close();
    next.close();
  });

  it('skips the short last record of a worker that died mid-write, and ignores anything past a damaged one', () => {
    const root = tempRoot();
    const a = new ViewStore(root, 'g1');
    a.put(view('/wiki/A', 100));
    a.put(view('/wiki/B', 100));
    a.close();
    const [file] = segments(root, 'g1');
    const path = join(root, 'g1', file!);
    const b = new ViewStore(root, 'g1');
    const whole = b.size;
    b.close();
    truncateSync(path, whole - 10);
    const c = new ViewStore(root, 'g1');
    expect(c.get('/wiki/A')).toBeDefined();
    expect(c.get('/wiki/B')).toBeUndefined();
    c.close();
    appendFileSync(path, 'garbage that is not a record '.repeat(10));
    const d = new ViewStore(root, 'g1');
    expect(d.get('/wiki/A')).toBeDefined();
    d.put(view('/wiki/C', 10));
    d.flush();
    expect(d.get('/wiki/C')).toBeDefined();
    d.close();
  });

  it('drops segments written before the machine last started: unsynced, they may hold anything', () => {
    const root = tempRoot();
    const a = new ViewStore(root, 'g1');
    a.put(view('/wiki/A', 10));
    a.close();
    mkdirSync(join(root, 'g1'), { recursive: true });
    writeFileSync(join(root, 'g1', '000000000000001-1-aaaaaaaa.seg'), 'torn by a power cut');
    const [old] = segments(root, 'g1').filter((n) => n.startsWith('000000000000001'));
    utimesSync(join(root, 'g1', old!), new Date(0), new Date(0));
    const s = new ViewStore(root, 'g1');
    s.dropOtherGenerations();
    expect(segments(root, 'g1')).not.toContain(old);
    expect(s.get('/wiki/A')).toBeDefined();
    s.close();
  });

  it('refuses a generation that is not a plain name', () => {
    expect(() => new ViewStore(':memory:', '../x')).toThrow(/generation/);
  });
});
