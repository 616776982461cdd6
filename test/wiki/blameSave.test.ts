import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUser, makeTestApp } from '../helpers/app.js';
import { commitSave, prepareSave, saveEdit, saveEditAsync } from '../../server/wiki/edit.js';
import { authorsOf, BLAME_VERSION } from '../../server/wiki/blame.js';
import { linesOf } from '../../server/wiki/authorship.js';
import { AUTHORS_CHECKPOINT_EVERY, INLINE_AUTHORS_CHARS, KEEP_RECENT_AUTHORS } from '../../server/wiki/blameSave.js';
import { authorshipSettled } from '../../server/wiki/blameFill.js';
import { readLatest, renderedHtml } from '../../server/wiki/pages.js';
import { restoreRevision, undoRevision } from '../../server/wiki/revert.js';
import { movePage } from '../../server/wiki/admin.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import { HistoryImporter } from '../../server/wiki/import.js';
import { DumpStore } from '../../server/db/dump.js';
import { sha1Of } from '../../server/db/content.js';
import { openWiki, type Wiki } from '../../server/bootstrap.js';
import { testConfig } from '../../server/config.js';
import { closeDatabase } from '../../server/db/connection.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

const title = parseTitle('Long history');
/** The stored authorship of a revision, a number per line. */
const stored = (wiki: Wiki, id: number) => {
  const runs = wiki.stores.blame.runs(id, BLAME_VERSION);
  return runs && linesOf(runs);
};
const pendingIds = (wiki: Wiki) => wiki.db.prepare('SELECT revision_id FROM blame_pending').pluck().all() as number[];
const allRevisions = (wiki: Wiki) => wiki.db.prepare('SELECT id FROM revision ORDER BY id').pluck().all() as number[];
const para = (i: number) => `Paragraph ${i} says something long enough to be remembered.`;

/** Each revision's authorship as derived from scratch by the walk (what views computed before save-time authorship). */
function walked(wiki: Wiki): Map<number, number[]> {
  const saved = new Map(allRevisions(wiki).map((id) => [id, stored(wiki, id)!]));
  wiki.db.exec('DELETE FROM blame_cache');
  for (const id of saved.keys()) authorsOf(wiki.stores, wiki.stores.revisions.byId(id)!);
  return new Map([...saved.keys()].map((id) => [id, stored(wiki, id)!]));
}

function setup() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const save = (actor: Actor, source: string) =>
    saveEdit(wiki.stores, { title, source, baseId: wiki.stores.pages.byTitle(title)?.latestId ?? null, actor }).revision;
  /** A page of `n` revisions, each adding a paragraph and rewriting an older one. */
  const history = (n: number) => {
    const paras: string[] = [];
    for (let i = 0; i < n; i++) {
      paras.push(para(i));
      if (i % 3 === 2) paras[i - 2] = `${para(i - 2)} Reworded in ${i}.`;
      save(i % 2 ? bob : alice, paras.join('\n\n'));
    }
  };
  return { wiki, alice, bob, save, history };
}

describe('line authorship stored at save time', () => {
  it('is stored for each revision by the save itself, as the walk would derive it', async () => {
    const { wiki, alice, bob, save } = setup();
    const r1 = save(alice, 'Line one by Alice.\nLine two by Alice.\nLine three by Alice.');
    const r2 = save(bob, 'Line one by Alice.\nBob wrote this.\nLine three by Alice.');
    expect(stored(wiki, r1.id)).toEqual([r1.id, r1.id, r1.id]);
    expect(stored(wiki, r2.id)).toEqual([r1.id, r2.id, r1.id]);
    // A vandal's edit, then undo, restore and a hand revert: each stored at once, none by a view.
    const r3 = save(bob, 'VANDALISM');
    await undoRevision(wiki.stores, wiki.workers, { title, actor: alice, id: r3.id });
    save(bob, 'Line three by Alice.\nLine one by Alice.');
    await restoreRevision(wiki.stores, wiki.workers, { title, actor: alice, to: r2.id });
    save(alice, 'Line one by Alice.\nBob wrote this.\nLine three by Alice.\nAlice adds a line.');
    movePage(wiki.stores, alice, title, parseTitle('Moved history'), '', true);
    const atSave = new Map(allRevisions(wiki).map((id) => [id, stored(wiki, id)]));
    expect([...atSave.values()].every((a) => a !== undefined)).toBe(true);
    expect(pendingIds(wiki)).toEqual([]);
    expect(walked(wiki)).toEqual(atSave);
  });

  it('derives it before the write transaction and only stores it inside', () => {
    const { wiki, alice, bob, save } = setup();
    save(alice, 'First line by Alice.\nSecond line by Alice.');
    const reads: boolean[] = [];
    const puts: boolean[] = [];
    const get = wiki.stores.content.get.bind(wiki.stores.content);
    wiki.stores.content.get = (id) => {
      reads.push(wiki.db.inTransaction);
      return get(id);
    };
    const put = wiki.stores.blame.put.bind(wiki.stores.blame);
    wiki.stores.blame.put = (...args) => {
      puts.push(wiki.db.inTransaction);
      put(...args);
    };
    const r2 = save(bob, 'First line by Alice.\nBob was here.\nSecond line by Alice.');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((inside) => !inside)).toBe(true);
    expect(puts).toEqual([true]);
    expect(stored(wiki, r2.id)).toEqual([r2.id - 1, r2.id, r2.id - 1]);
  });

  it('defers a big text past the commit and finishes it before the save returns', () => {
    const { wiki, alice, bob, save } = setup();
    const big = Array.from({ length: 400 }, (_, i) => para(i)).join('\n');
    expect(big.length * 2).toBeGreaterThan(INLINE_AUTHORS_CHARS);
    const r1 = save(alice, big);
    const marked: boolean[] = [];
    const mark = wiki.stores.blame.markPending.bind(wiki.stores.blame);
    wiki.stores.blame.markPending = (id) => {
      marked.push(wiki.db.inTransaction);
      mark(id);
    };
    const r2 = save(bob, `${big}\nBob's last line.`);
    expect(marked).toEqual([true]);
    expect(pendingIds(wiki)).toEqual([]);
    expect(stored(wiki, r2.id)).toEqual([...stored(wiki, r1.id)!, r2.id]);
  });

  it('derives a big text in the text process, off the event loop', async () => {
    const workers = new TextWorkers({ offloadFrom: 10_000 });
    const { wiki } = makeTestApp({}, { workers });
    try {
      const actor = createUser(wiki, { name: 'Carol' });
      const big = Array.from({ length: 300 }, (_, i) => para(i)).join('\n');
      const r1 = await saveEditAsync(wiki.stores, workers, { title, source: big, baseId: null, actor });
      const run = vi.spyOn(workers, 'run');
      const r2 = await saveEditAsync(wiki.stores, workers, { title, source: `Carol's new first line.\n${big}`, baseId: r1.revision.id, actor });
      const step = run.mock.calls.find(([name]) => name === 'inheritAuthors');
      expect(step).toBeDefined();
      expect(workers.offloads(step![2])).toBe(true);
      expect(workers.processCount).toBeGreaterThan(0);
      expect(stored(wiki, r2.revision.id)).toEqual([r2.revision.id, ...stored(wiki, r1.revision.id)!]);
    } finally {
      await workers.close();
    }
  });
});

describe('line authorship of imported histories', () => {
  it('is stored for every imported revision, onto the history here, as the walk would derive it', () => {
    const { wiki, alice, save } = setup();
    save(alice, 'Written here first.');
    const big = Array.from({ length: 400 }, (_, i) => para(i)).join('\n');
    const texts = ['Written here first.', `Written here first.\n${big}`, `Imported line.\n${big}`, 'Written here first.', `Imported line.\n${big}`];
    const importer = new HistoryImporter(wiki.stores, new DumpStore(wiki.db));
    const here = importer.historyHere(title);
    const incoming = texts.map((source, i) => ({
      timestamp: i === 0 ? here[0]!.timestamp : `2030-01-0${i}T00:00:00.000Z`, sha1: sha1Of(source), source,
      author: i % 2 ? 'Importer' : 'Alice', authorKind: 'user' as const, comment: '', minor: false, tags: [],
    }));
    expect(importer.importPage(title, incoming)).toMatchObject({ added: 4, skipped: 1 });
    const atImport = new Map(allRevisions(wiki).map((id) => [id, stored(wiki, id)]));
    expect([...atImport.values()].every((a) => a !== undefined)).toBe(true);
    expect(pendingIds(wiki)).toEqual([]);
    expect(walked(wiki)).toEqual(atImport);
  });
});

describe('first views of long histories', () => {
  it('read the stored authorship: no walk, one statement for the writers\' names', async () => {
    const { wiki, history } = setup();
    history(120);
    const byId = vi.spyOn(wiki.stores.revisions, 'byId');
    const runs = vi.spyOn(wiki.stores.blame, 'runs');
    const read = readLatest(wiki.stores, title)!;
    const html = await renderedHtml(wiki.stores, wiki.workers, read, 'view', []);
    expect(html).toContain('Written by Alice');
    expect(byId).toHaveBeenCalledTimes(1); // readLatest's
    // The stored runs as they are, not a line each.
    expect(runs).toHaveBeenCalledTimes(1);
  });

  it('never walk, even when older revisions\' authorship is missing', async () => {
    const { wiki, history } = setup();
    history(60);
    const latest = wiki.stores.pages.byTitle(title)!.latestId;
    wiki.db.prepare('DELETE FROM blame_cache WHERE revision_id <> ?').run(latest);
    const byId = vi.spyOn(wiki.stores.revisions, 'byId');
    const html = await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, title)!, 'view', []);
    expect(html).toContain('Written by');
    expect(byId).toHaveBeenCalledTimes(1);
  });

  it('render without block authors when none is stored, cache nothing, and derive it in the background', async () => {
    const { wiki, history } = setup();
    history(40);
    wiki.db.exec('DELETE FROM blame_cache');
    const byId = vi.spyOn(wiki.stores.revisions, 'byId');
    const first = await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, title)!, 'view', []);
    expect(byId).toHaveBeenCalledTimes(1);
    expect(first).not.toContain('Written by');
    expect(wiki.db.prepare('SELECT count(*) FROM render_cache').pluck().get()).toBe(0);
    await authorshipSettled(wiki.stores);
    const latest = wiki.stores.pages.byTitle(title)!.latestId;
    expect(stored(wiki, latest)).toBeDefined();
    const second = await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, title)!, 'view', []);
    expect(second).toContain('Written by');
    expect(wiki.db.prepare('SELECT count(*) FROM render_cache').pluck().get()).toBe(1);
  });
});

describe('the background fill', () => {
  it('derives a deep history with no stored authorship, far end first, as the walk would', async () => {
    const { wiki, history } = setup();
    history(450);
    const expected = walked(wiki);
    wiki.db.exec('DELETE FROM blame_cache');
    const latest = wiki.stores.pages.byTitle(title)!.latestId;
    const lookBack = vi.spyOn(wiki.stores.blame, 'ancestry');
    await renderedHtml(wiki.stores, wiki.workers, readLatest(wiki.stores, title)!, 'view', []);
    await authorshipSettled(wiki.stores);
    // 450 revisions deep, looked at 200 at a time: back from the latest to 200 and 400 back, then
    // derived from there forward, each walk at most 200 long.
    expect(lookBack.mock.calls.filter(([, depth]) => depth === 201).map(([id]) => latest - id)).toEqual([0, 200, 400, 200, 0]);
    expect(new Map(allRevisions(wiki).map((id) => [id, stored(wiki, id)!]))).toEqual(expected);
    expect(stored(wiki, latest)).toBeDefined();
  });
});

describe('authorship after a restart', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function reopen(file: string): Promise<Wiki> {
    const wiki = openWiki(testConfig({ dbFile: file }));
    await authorshipSettled(wiki.stores);
    return wiki;
  }

  it('finishes what a crash left between the commit and the deferred authorship', async () => {
    dir = mkdtempSync(join(tmpdir(), 'peerwiki-blame-'));
    const file = join(dir, 'wiki.db');
    const wiki = openWiki(testConfig({ dbFile: file }));
    const actor = createUser(wiki, { name: 'Dora' });
    const big = Array.from({ length: 400 }, (_, i) => para(i)).join('\n');
    const r1 = saveEdit(wiki.stores, { title, source: big, baseId: null, actor });
    // The save's transaction commits; the process dies before finishing what it deferred.
    const r2 = wiki.stores.transaction(() => commitSave(wiki.stores, prepareSave(wiki.stores, { title, source: `${big}\nOne more line.`, baseId: r1.revision.id, actor })));
    expect(r2.deferredAuthors).toEqual({ revisionId: r2.revision.id });
    expect(pendingIds(wiki)).toEqual([r2.revision.id]);
    closeDatabase(wiki.db);
    await wiki.workers.close();

    const again = await reopen(file);
    try {
      expect(pendingIds(again)).toEqual([]);
      expect(stored(again, r2.revision.id)).toEqual([...stored(again, r1.revision.id)!, r2.revision.id]);
    } finally {
      closeDatabase(again.db);
      await again.workers.close();
    }
  });

  it('fills in every page\'s latest authorship in a database that never stored any', async () => {
    dir = mkdtempSync(join(tmpdir(), 'peerwiki-blame-'));
    const file = join(dir, 'wiki.db');
    const wiki = openWiki(testConfig({ dbFile: file }));
    const actor = createUser(wiki, { name: 'Eve' });
    const latest: number[] = [];
    for (let p = 0; p < 3; p++) {
      let base: number | null = null;
      for (let i = 0; i < 5; i++) base = saveEdit(wiki.stores, { title: parseTitle(`Old ${p}`), source: `${para(p)}\n${para(i)}`, baseId: base, actor }).revision.id;
      latest.push(base!);
    }
    const expected = latest.map((id) => stored(wiki, id));
    wiki.db.exec('DELETE FROM blame_cache');
    closeDatabase(wiki.db);
    await wiki.workers.close();

    const again = await reopen(file);
    try {
      expect(latest.map((id) => stored(again, id))).toEqual(expected);
    } finally {
      closeDatabase(again.db);
      await again.workers.close();
    }
  });
});

describe('authorship kept where it is needed', () => {
  it('keeps the latest revisions and one in every AUTHORS_CHECKPOINT_EVERY before them; any other derives again as it was saved', () => {
    const { wiki } = makeTestApp();
    const writers = [createUser(wiki), createUser(wiki), createUser(wiki)];
    const atSave = new Map<number, number[]>();
    const lines: string[] = [];
    let base: number | null = null;
    const ids: number[] = [];
    for (let i = 0; i < 90; i++) {
      if (i % 3 === 2 && lines.length > 2) lines[i % lines.length] = `${para(i)} (rewritten)`;
      else lines.push(para(i));
      const r = saveEdit(wiki.stores, { title, source: lines.join('\n\n'), baseId: base, actor: writers[i % 3]! });
      base = r.revision.id;
      ids.push(base);
      atSave.set(base, stored(wiki, base)!);
    }
    const kept = ids.map((id) => stored(wiki, id) !== undefined);
    // The latest KEEP_RECENT_AUTHORS are all kept.
    expect(kept.slice(-KEEP_RECENT_AUTHORS).every(Boolean)).toBe(true);
    // Further back, no run of dropped revisions is AUTHORS_CHECKPOINT_EVERY long, and most are dropped.
    let gap = 0;
    for (const k of kept) {
      gap = k ? 0 : gap + 1;
      expect(gap).toBeLessThan(AUTHORS_CHECKPOINT_EVERY);
    }
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(KEEP_RECENT_AUTHORS + Math.ceil(90 / AUTHORS_CHECKPOINT_EVERY) + 1);
    // A dropped revision's authorship, asked for, is what its save derived.
    for (const [i, id] of ids.entries()) {
      if (kept[i]) continue;
      expect(linesOf(authorsOf(wiki.stores, wiki.stores.revisions.byId(id)!)!), `revision ${i + 1}`).toEqual(atSave.get(id));
    }
  });
});
