import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { compareRevisions, UNCACHED_FROM_ENTRIES } from '../../server/wiki/compare.js';
import { parseTitle } from '../../server/wiki/title.js';

function wikiWith(texts: string[], title = 'Doc') {
  const { wiki } = makeTestApp();
  const actor = wiki.stores.actors.system();
  const ids: number[] = [];
  for (const source of texts) ids.push(saveEdit(wiki.stores, { title: parseTitle(title), source, baseId: ids.at(-1) ?? null, actor }).revision.id);
  return { wiki, ids };
}

const changed = (c: Awaited<ReturnType<typeof compareRevisions>>) => JSON.stringify(c.comparison);

describe('compareRevisions', () => {
  it('compares with the parent by default, and nothing before the first revision', async () => {
    const { wiki, ids } = wikiWith(['a\n', 'a\nb\n']);
    const second = await compareRevisions(wiki.stores, wiki.workers, undefined, ids[1]!);
    expect(second.older?.id).toBe(ids[0]);
    expect(changed(second)).toContain('b');
    const first = await compareRevisions(wiki.stores, wiki.workers, undefined, ids[0]!);
    expect(first.older).toBeUndefined();
  });

  it('keeps an ordinary comparison for the next request, and none too big for its share of memory', async () => {
    const lines = (n: number, word: string) => Array.from({ length: n }, (_, i) => `${word} ${i}`).join('\n');
    const { wiki, ids } = wikiWith(['a\nb\n', 'a\nc\n', lines(UNCACHED_FROM_ENTRIES + 1, 'one'), lines(UNCACHED_FROM_ENTRIES + 1, 'two')]);
    const run = wiki.workers.run.bind(wiki.workers);
    let runs = 0;
    wiki.workers.run = ((...args: Parameters<typeof run>) => {
      runs++;
      return run(...args);
    }) as typeof run;
    await compareRevisions(wiki.stores, wiki.workers, ids[0], ids[1]!);
    await compareRevisions(wiki.stores, wiki.workers, ids[0], ids[1]!);
    expect(runs).toBe(1);
    const big = await compareRevisions(wiki.stores, wiki.workers, ids[2], ids[3]!);
    expect(big.comparison.entries.length).toBeGreaterThan(UNCACHED_FROM_ENTRIES);
    await compareRevisions(wiki.stores, wiki.workers, ids[2], ids[3]!);
    expect(runs).toBe(3);
  });

  it('keeps its cache per database: the same revision ids in two wikis compare their own texts', async () => {
    const a = wikiWith(['same\n', 'only in A\n']);
    const b = wikiWith(['same\n', 'only in B\n']);
    expect(a.ids).toEqual(b.ids);
    const fromA = await compareRevisions(a.wiki.stores, a.wiki.workers, a.ids[0], a.ids[1]!);
    const fromB = await compareRevisions(b.wiki.stores, b.wiki.workers, b.ids[0], b.ids[1]!);
    expect(changed(fromA)).toContain('only in A');
    expect(changed(fromB)).toContain('only in B');
    // A second request is served from the cache: the very same model.
    expect((await compareRevisions(a.wiki.stores, a.wiki.workers, a.ids[0], a.ids[1]!)).comparison).toBe(fromA.comparison);
  });

  it.each([
    { name: 'a missing revision', code: 'not_found', setup: () => { const w = wikiWith(['x\n']); return { ...w, from: 999, to: w.ids[0]! }; } },
    { name: 'revisions of two pages', code: 'invalid_input', setup: () => {
      const w = wikiWith(['x\n']);
      const other = saveEdit(w.wiki.stores, { title: parseTitle('Other'), source: 'y', baseId: null, actor: w.wiki.stores.actors.system() }).revision.id;
      return { ...w, from: w.ids[0]!, to: other };
    } },
    { name: 'a revision of a deleted page', code: 'not_found', setup: () => {
      const w = wikiWith(['x\n', 'y\n']);
      deletePage(w.wiki.stores, w.wiki.stores.actors.system(), parseTitle('Doc'), '');
      return { ...w, from: w.ids[0]!, to: w.ids[1]! };
    } },
  ])('refuses $name', async ({ setup, code }) => {
    const { wiki, from, to } = setup();
    await expect(compareRevisions(wiki.stores, wiki.workers, from, to)).rejects.toMatchObject({ code });
  });
});
