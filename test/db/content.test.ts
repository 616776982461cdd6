import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { inflateRawSync } from 'node:zlib';
import { prng } from '../helpers/random.js';
import { ContentStore, MAX_CHAIN, packText, sha1Of, type PackedText } from '../../server/db/content.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import { saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('content store', () => {
  it('keeps recently read texts, bounded by their total size as well as their number', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const long = (i: number) => `${String(i).padStart(3, '0')} `.repeat(60_000); // 240 K UTF-16 units each
    const ids = Array.from({ length: 40 }, (_, i) => content.put(long(i)).id);
    for (const [i, id] of ids.entries()) expect(content.get(id)).toBe(long(i));
    const held = content.cacheSize();
    // 40 texts of 240 K units would be 9.6 M units: only the newest 17 fit in 4 Mi.
    expect(held.chars).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(held.texts).toBe(17);
    // A megabyte-long text is read each time, never kept.
    content.clearCache();
    const huge = 'ab '.repeat(350_000);
    const hugeId = content.put(huge).id;
    expect(content.get(hugeId)).toBe(huge);
    expect(content.get(hugeId)).toBe(huge);
    expect(content.cacheSize()).toEqual({ texts: 0, chars: 0 });
    // Small texts still fill it by number.
    content.clearCache();
    const small = Array.from({ length: 600 }, (_, i) => content.put(`text ${i}`).id);
    for (const id of small) content.get(id);
    expect(content.cacheSize().texts).toBe(500);
  });

  it('stores a text packed beforehand exactly as it stores the text itself', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    for (const text of ['short', 'café ✓ '.repeat(200), 'x'.repeat(300)]) {
      const p = packText(text);
      expect(p.sha1).toBe(sha1Of(text));
      expect(p.size).toBe(Buffer.byteLength(text, 'utf8'));
      const stored = content.put(p);
      expect(content.read(stored.id)).toBe(text);
      // The same text given as a string is found, not stored twice; and a plain Uint8Array will do.
      expect(content.put(text).id).toBe(stored.id);
      const other = packText(`${text}!`);
      const plain: PackedText = { ...other, data: new Uint8Array(other.data) };
      expect(content.read(content.put(plain).id)).toBe(`${text}!`);
    }
    // Hashed only: deflating is the background packer's (compressQueued, below).
    expect(packText('x'.repeat(300)).encoding).toBe('raw');
  });

  it('queues the texts a save stores raw, and deflates them later without changing what they read as', () => {
    const { wiki } = makeTestApp();
    const content = wiki.stores.content;
    const long = content.put('Peer networks share what they make. '.repeat(40));
    content.put('short');
    const other = content.put('Another text long enough to be worth compressing. '.repeat(8));
    // Only texts worth compressing are queued, each once.
    expect(content.freshCount()).toBe(2);
    expect(content.anyFresh()).toBe(true);
    const encoding = (id: number) => (wiki.db.prepare('SELECT encoding, length(data) AS n FROM content WHERE id = ?').get(id) as { encoding: string; n: number });
    expect(encoding(long.id).encoding).toBe('raw');
    const plan = content.planCompress(10);
    // Planning writes nothing: a running wiki's packer plans outside its write transaction.
    expect(encoding(long.id).encoding).toBe('raw');
    expect(wiki.stores.transaction(() => content.applyCompress(plan))).toBe(0);
    expect(encoding(long.id)).toEqual({ encoding: 'deflate', n: expect.any(Number) });
    expect(encoding(long.id).n).toBeLessThan(long.size / 10);
    expect(encoding(other.id).encoding).toBe('deflate');
    expect(content.anyFresh()).toBe(false);
    content.clearCache();
    expect(content.get(long.id)).toBe('Peer networks share what they make. '.repeat(40));
  });


  it('hashes and compresses a long save\'s text before the write transaction, in the text process', async () => {
    const workers = new TextWorkers({ offloadFrom: 1000 });
    const { wiki } = makeTestApp({}, { workers });
    try {
      const given: Array<{ packed: boolean; inTransaction: boolean }> = [];
      const put = wiki.stores.content.put.bind(wiki.stores.content);
      wiki.stores.content.put = (text) => {
        given.push({ packed: typeof text !== 'string', inTransaction: wiki.db.inTransaction });
        return put(text);
      };
      const source = 'Peer networks share what they make. '.repeat(2000);
      const saved = await saveEditAsync(wiki.stores, workers, { title: parseTitle('Long'), source, baseId: null, actor: createUser(wiki) });
      expect(given).toEqual([{ packed: true, inTransaction: true }]);
      expect(wiki.stores.content.read(saved.revision.contentId)).toBe(source);
      expect(saved.revision.sha1).toBe(sha1Of(source));
    } finally {
      await workers.close();
    }
  });
});

describe('history stored as deltas', () => {
  // Sixty lines of words that deflate about as well as prose does; version n changes one line.
  const random = prng(11);
  const WORDS = 'peer network wiki node edit page link text share trust graph relay gossip swarm seed mesh radio'.split(' ');
  const lines = Array.from({ length: 60 }, () => Array.from({ length: 14 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' '));
  const article = (n: number) => lines.map((l, i) => (i === n % 60 ? `${l}, edited ${n} times.` : `${l}.`)).join('\n');

  /** A page saved `n` times, each a small edit of the one before; its revisions and their texts. */
  function history(wiki: ReturnType<typeof makeTestApp>['wiki'], title: string, n: number, text = article) {
    const actor = createUser(wiki);
    const saved: Array<{ id: number; contentId: number; text: string }> = [];
    for (let i = 0; i < n; i++) {
      const r = saveEdit(wiki.stores, { title: parseTitle(title), source: text(i), baseId: saved.at(-1)?.id ?? null, actor });
      saved.push({ id: r.revision.id, contentId: r.revision.contentId, text: text(i) });
    }
    return saved;
  }
  const rowOf = (wiki: ReturnType<typeof makeTestApp>['wiki'], id: number) =>
    wiki.db.prepare('SELECT base_id AS baseId, chain, length(data) AS bytes FROM content WHERE id = ?').get(id) as { baseId: number | null; chain: number; bytes: number };
  /** How many deltas stand between a text and a whole one. */
  const depthOf = (wiki: ReturnType<typeof makeTestApp>['wiki'], id: number) => {
    let depth = 0;
    for (let row = rowOf(wiki, id); row.baseId !== null; row = rowOf(wiki, row.baseId)) depth++;
    return depth;
  };

  it('never deflates a queued text that became a delta first', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Replaced', 3);
    wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    const plan = wiki.stores.content.planCompress(100);
    // Two of the three became deltas; only the latest text is deflated.
    expect(plan.rows.map((r) => r.id)).toEqual([saved[2]!.contentId]);
    wiki.stores.transaction(() => wiki.stores.content.applyCompress(plan));
    for (const s of saved) expect(new ContentStore(wiki.db).get(s.contentId)).toBe(s.text);
  });

  it('stores each replaced text as a small delta against its successor, and reads every text back', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Packed', 10);
    const wholeBytes = rowOf(wiki, saved[0]!.contentId).bytes;
    expect(wiki.stores.content.queued()).toBe(9);
    expect(wiki.stores.content.anyQueued()).toBe(true);
    expect(wiki.stores.transaction(() => wiki.stores.content.packQueued(100))).toEqual({ packed: 9, kept: 0, queued: 0, failed: 0 });
    for (const [i, s] of saved.entries()) {
      const row = rowOf(wiki, s.contentId);
      if (i === saved.length - 1) {
        // The latest text is whole: read in one step.
        expect(row.baseId).toBeNull();
      } else {
        expect(row.baseId).toBe(saved[i + 1]!.contentId);
        expect(row.bytes).toBeLessThan(wholeBytes / 10);
      }
    }
    expect(wiki.stores.content.anyQueued()).toBe(false);
    const fresh = new ContentStore(wiki.db);
    for (const s of saved) expect(fresh.get(s.contentId)).toBe(s.text);
    expect(fresh.verify(0, 100).bad).toEqual([]);
  });

  it('keeps every text within MAX_CHAIN deltas of a whole one, however long the history', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Long history', 3 * MAX_CHAIN + 5);
    // Packed as saves come, a few at a time, as the background thread does.
    while (wiki.stores.transaction(() => wiki.stores.content.packQueued(7)).queued > 0);
    const depths = saved.map((s) => depthOf(wiki, s.contentId));
    expect(Math.max(...depths)).toBe(MAX_CHAIN);
    expect(depths.at(-1)).toBe(0);
    const fresh = new ContentStore(wiki.db);
    for (const s of saved) expect(fresh.read(s.contentId)).toBe(s.text);
  });

  it('stores a text whole again when a revert makes it the latest, and never packs a page\'s latest text', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Reverted', 3);
    wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    expect(rowOf(wiki, saved[0]!.contentId).baseId).not.toBeNull();
    // A revert to the first text: its row is whole again, and the text it replaced is queued against it.
    const actor = createUser(wiki);
    const revert = saveEdit(wiki.stores, { title: parseTitle('Reverted'), source: saved[0]!.text, baseId: saved[2]!.id, actor });
    expect(revert.revision.contentId).toBe(saved[0]!.contentId);
    expect(rowOf(wiki, saved[0]!.contentId).baseId).toBeNull();
    // The first text was queued when the second replaced it; now it is the latest, and stays whole.
    wiki.db.prepare('INSERT INTO content_pack (content_id, base_id, page_id) VALUES (?, ?, ?)').run(saved[0]!.contentId, saved[1]!.contentId, revert.page.id);
    wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    expect(rowOf(wiki, saved[0]!.contentId).baseId).toBeNull();
    expect(rowOf(wiki, saved[2]!.contentId).baseId).toBe(saved[0]!.contentId);
    const fresh = new ContentStore(wiki.db);
    for (const s of saved) expect(fresh.read(s.contentId)).toBe(s.text);
  });

  it('packs a text reverted to and then replaced against its last successor, and the vandal text against it', () => {
    const { wiki } = makeTestApp();
    const actor = createUser(wiki);
    const title = parseTitle('Vandalised');
    const good = article(1);
    const vandal = `${article(1).slice(0, 900)}LOL`;
    const later = article(2);
    const ids: Array<{ id: number; contentId: number }> = [];
    for (const source of [good, vandal, good, later]) {
      const r = saveEdit(wiki.stores, { title, source, baseId: ids.at(-1)?.id ?? null, actor });
      ids.push({ id: r.revision.id, contentId: r.revision.contentId });
    }
    // All four saves before any packing, as an edit storm leaves them.
    wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    expect(rowOf(wiki, ids[0]!.contentId).baseId).toBe(ids[3]!.contentId);
    expect(rowOf(wiki, ids[1]!.contentId).baseId).toBe(ids[0]!.contentId);
    expect(rowOf(wiki, ids[3]!.contentId).baseId).toBeNull();
    const fresh = new ContentStore(wiki.db);
    expect([good, vandal, later].map((_, i) => fresh.read(ids[i === 2 ? 3 : i]!.contentId))).toEqual([good, vandal, later]);
  });

  it('leaves a text whole, and goes on, when its delta cannot be made; never retrying it', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Broken base', 4);
    // The newest text's stored bytes damaged: the texts replaced before it cannot be diffed against it.
    wiki.db.prepare("UPDATE content SET encoding = 'deflate', data = x'00ff00ff' WHERE id = ?").run(saved[3]!.contentId);
    const r = wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    expect(r).toMatchObject({ packed: 2, kept: 1, queued: 0, failed: 1 });
    expect(rowOf(wiki, saved[2]!.contentId).baseId).toBeNull();
    expect(new ContentStore(wiki.db).read(saved[0]!.contentId)).toBe(saved[0]!.text);
  });

  it('works deltas out without a lock, and writes only those still right when the write comes', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Planned', 4);
    const content = wiki.stores.content;
    // Planned outside any transaction: reads only.
    const plan = content.planPacks(100);
    expect(wiki.db.inTransaction).toBe(false);
    expect(plan.deltas.map((d) => d.id)).toEqual(saved.slice(0, 3).map((s) => s.contentId));
    // Before the write, a revert makes the second text the page's latest again.
    const actor = createUser(wiki);
    saveEdit(wiki.stores, { title: parseTitle('Planned'), source: saved[1]!.text, baseId: saved[3]!.id, actor });
    const r = wiki.stores.transaction(() => content.applyPacks(plan));
    expect(r.packed).toBe(2);
    expect(rowOf(wiki, saved[1]!.contentId).baseId).toBeNull();
    expect(rowOf(wiki, saved[0]!.contentId).baseId).toBe(saved[1]!.contentId);
    // A plan stops early past its byte budget, and the queue is taken only up to what it looked at.
    wiki.stores.transaction(() => content.packQueued(100));
    const more = history(wiki, 'Budget', 5);
    const small = content.planPacks(100, 1);
    expect(small.looked).toBe(1);
    wiki.stores.transaction(() => content.applyPacks(small));
    expect(rowOf(wiki, more[0]!.contentId).baseId).toBe(more[1]!.contentId);
    expect(content.queued()).toBeGreaterThan(0);
    const fresh = new ContentStore(wiki.db);
    for (const s of [...saved, ...more]) expect(fresh.read(s.contentId)).toBe(s.text);
  });

  it('leaves short texts and texts a delta would not shrink whole', () => {
    const { wiki } = makeTestApp();
    const short = history(wiki, 'Short', 3, (i) => `A stub, version ${i}.`);
    const unrelated = history(wiki, 'Rewritten', 3, (i) => `${i}`.repeat(400) + Array.from({ length: 200 }, (_, k) => (k * (i + 7)) % 97).join(' '));
    const r = wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    expect(r.queued).toBe(0);
    for (const s of [...short, ...unrelated.slice(0, 1)]) expect(rowOf(wiki, s.contentId).baseId).toBeNull();
  });

  it('check finds a damaged delta, and says which text it breaks', () => {
    const { wiki } = makeTestApp();
    const saved = history(wiki, 'Damaged', 4);
    wiki.stores.transaction(() => wiki.stores.content.packQueued(100));
    // One byte of a delta changed: its literal text no longer hashes to the sha1.
    const victim = saved[1]!.contentId;
    const data = wiki.db.prepare('SELECT encoding, data FROM content WHERE id = ?').get(victim) as { encoding: string; data: Buffer };
    const raw = data.encoding === 'deflate' ? inflateRawSync(data.data) : data.data;
    raw[raw.length - 2] = raw[raw.length - 2]! ^ 1;
    wiki.db.prepare("UPDATE content SET encoding = 'raw', data = ? WHERE id = ?").run(raw, victim);
    const bad = new ContentStore(wiki.db).verify(0, 100).bad;
    expect(bad.map((b) => b.id)).toContain(victim);
    // A row whose base is gone cannot be decoded, and is reported, not thrown.
    wiki.db.pragma('foreign_keys = OFF');
    wiki.db.prepare('UPDATE content SET base_id = 999999 WHERE id = ?').run(saved[0]!.contentId);
    const problems = new ContentStore(wiki.db).verify(0, 100).bad;
    expect(problems.find((b) => b.id === saved[0]!.contentId)?.problem).toMatch(/cannot be decoded.*missing/);
  });
});
