import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { authorsOf, authorsOfAsync, blame, inheritAuthors } from '../../server/wiki/blame.js';
import { TextWorkers } from '../../server/wiki/work/pool.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';

describe('inheritAuthors (pure)', () => {
  it.each([
    { name: 'unchanged lines keep authors', parent: ['a', 'b'], authors: [1, 2], child: ['a', 'b'], want: [1, 2] },
    { name: 'added line is the child\'s', parent: ['a', 'b'], authors: [1, 2], child: ['a', 'new line', 'b'], want: [1, 9, 2] },
    { name: 'changed line is the child\'s', parent: ['alpha', 'beta'], authors: [1, 2], child: ['alpha', 'BETA'], want: [1, 9] },
    { name: 'moved line keeps its writer', parent: ['first line', 'second line', 'third line'], authors: [1, 2, 3], child: ['second line', 'third line', 'first line'], want: [2, 3, 1] },
    { name: 'recalled line keeps its first writer', parent: ['a'], authors: [1], child: ['a', 'came back'], want: [1, 4], recall: new Map([['came back', 4]]) },
    { name: 'short lines are not recalled', parent: ['a'], authors: [1], child: ['a', ''], want: [1, 9], recall: new Map([['', 4]]) },
  ])('$name', ({ parent, authors, child, want, recall }) => {
    expect(inheritAuthors(parent, authors, child, 9, recall)).toEqual(want);
  });
});

describe('inheritAuthors on large and hostile texts', () => {
  it('keeps the authors of a long shared start and end around a rewritten middle, quickly', () => {
    const shared = Array.from({ length: 100_000 }, () => 'same line');
    const parent = [...shared, ...Array.from({ length: 20_000 }, (_, i) => `old ${i}`), ...shared];
    const child = [...shared, ...Array.from({ length: 20_000 }, (_, i) => `new ${i}`), ...shared];
    const authors = parent.map((_, i) => (i < 100_000 ? 1 : i < 120_000 ? 2 : 3));
    const started = performance.now();
    const got = inheritAuthors(parent, authors, child, 9);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(got.slice(0, 100_000).every((a) => a === 1)).toBe(true);
    expect(got.slice(100_000, 120_000).every((a) => a === 9)).toBe(true);
    expect(got.slice(120_000).every((a) => a === 3)).toBe(true);
  });

  it('credits moved lines back even past the exact diff\'s budget', () => {
    const parent = Array.from({ length: 5_000 }, (_, i) => `paragraph line number ${i}`);
    const child = [...parent].reverse();
    const got = inheritAuthors(parent, parent.map((_, i) => i + 1), child, 9000, new Map(), { timeoutMs: 0, maxEditLength: 10 });
    expect(got).toEqual(child.map((_, j) => 5_000 - j));
  });

  it.each(['__proto__', 'constructor', 'toString'])('treats a line reading %s as text', (word) => {
    expect(inheritAuthors(['alpha line', word], [1, 2], [word, 'alpha line', word + ' again'], 9, new Map([[word + ' again', 4]]))).toEqual([2, 1, 4]);
  });
});

function setup() {
  const { wiki } = makeTestApp();
  const alice = createUser(wiki, { name: 'Alice' });
  const bob = createUser(wiki, { name: 'Bob' });
  const vandal = createUser(wiki, { name: 'Vandal' });
  const title = parseTitle('Blamed');
  let latest: number | null = null;
  const save = (actor: Actor, source: string) => {
    const r = saveEdit(wiki.stores, { title, source, baseId: latest, actor });
    latest = r.revision.id;
    return r.revision;
  };
  return { wiki, alice, bob, vandal, save };
}

describe('blame', () => {
  it('gives the same authors in the text process as inline', async () => {
    const { wiki, alice, bob, vandal, save } = setup();
    save(alice, 'Line one by Alice.\nLine two by Alice.\n');
    save(vandal, 'Line one by Alice.\n');
    save(bob, 'Bob on top.\nLine one by Alice.\n');
    const r4 = save(bob, 'Bob on top.\nLine one by Alice.\nLine two by Alice.\n');
    const inline = authorsOf(wiki.stores, r4);
    wiki.db.prepare('DELETE FROM blame_cache').run();
    const threads = new TextWorkers({ offloadFrom: 1 });
    try {
      expect(await authorsOfAsync(wiki.stores, r4, threads)).toEqual(inline);
      expect(threads.processCount).toBe(1);
    } finally {
      await threads.close();
    }
  });

  it('credits each run of lines to the revision that wrote it', async () => {
    const { wiki, alice, bob, save } = setup();
    const r1 = save(alice, 'Intro by Alice.\nMore by Alice.\n');
    const r2 = save(bob, 'Intro by Alice.\nBob adds a line.\nMore by Alice.\n');
    const blocks = await blame(wiki.stores, r2, wiki.workers);
    expect(blocks.map((b) => [b.fromLine, b.lines, b.revision.id, b.revision.actor.name])).toEqual([
      [1, 1, r1.id, 'Alice'],
      [2, 1, r2.id, 'Bob'],
      [3, 2, r1.id, 'Alice'],
    ]);
  });

  it('credits a revert back to the first writers, not the reverter', async () => {
    const { wiki, alice, bob, vandal, save } = setup();
    const r1 = save(alice, 'Alice wrote this paragraph.\n');
    const r2 = save(bob, 'Alice wrote this paragraph.\nBob wrote this one.\n');
    save(vandal, 'VANDALISM\n');
    const r4 = save(alice, 'Alice wrote this paragraph.\nBob wrote this one.\n');
    expect((await blame(wiki.stores, r4, wiki.workers)).map((b) => b.revision.id)).toEqual([r1.id, r2.id, r1.id]);
  });

  it('credits lines restored by undoing an older edit back to their writers', () => {
    const { wiki, alice, bob, vandal, save } = setup();
    const r1 = save(alice, 'Line one by Alice.\nLine two by Alice.\n');
    save(vandal, 'Line one by Alice.\n');
    const r3 = save(bob, 'Bob on top.\nLine one by Alice.\n');
    const r4 = save(bob, 'Bob on top.\nLine one by Alice.\nLine two by Alice.\n');
    const authors = authorsOf(wiki.stores, r4);
    expect(authors).toEqual([r3.id, 1, r1.id, 3]);
  });

  it('is stored per revision: a second call reads, it does not recompute', async () => {
    const { wiki, alice, bob, save } = setup();
    save(alice, 'a\n');
    const r2 = save(bob, 'a\nb\n');
    await blame(wiki.stores, r2, wiki.workers);
    const stored = wiki.db.prepare('SELECT revision_id FROM blame_cache ORDER BY revision_id').pluck().all();
    expect(stored).toHaveLength(2);
    wiki.db.prepare('UPDATE blame_cache SET runs = ? WHERE revision_id = ?').run(JSON.stringify([r2.id, 3]), r2.id);
    expect(authorsOf(wiki.stores, r2)).toEqual([r2.id, 3]);
  });
});
