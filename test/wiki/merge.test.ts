/** merge3 and resolveRegions: diff3 semantics, any line text, bounded cost, and no lost words. */
import { describe, expect, it } from 'vitest';
import { merge3, resolveRegions, type MergeRegion, type MergeResult } from '../../server/wiki/merge.js';
import { prng } from '../helpers/random.js';

const base = ['one', 'two', 'three', 'four', 'five', 'six'].join('\n');

describe('merge3', () => {
  it.each([
    { name: 'edits far apart merge', mine: base.replace('one', 'ONE'), theirs: base.replace('six', 'SIX'), want: base.replace('one', 'ONE').replace('six', 'SIX') },
    { name: 'same change on both sides', mine: base.replace('two', '2'), theirs: base.replace('two', '2'), want: base.replace('two', '2') },
    { name: 'only mine changed', mine: base + '\nseven', theirs: base, want: base + '\nseven' },
    { name: 'only theirs changed', mine: base, theirs: 'zero\n' + base, want: 'zero\n' + base },
    { name: 'insert at top and append at end', mine: 'zero\n' + base, theirs: base + '\nseven', want: 'zero\n' + base + '\nseven' },
    { name: 'one unchanged line between two changes', mine: base.replace('two', '2'), theirs: base.replace('four', '4'), want: base.replace('two', '2').replace('four', '4') },
    { name: 'a deletion and an edit elsewhere', mine: base.replace('two\n', ''), theirs: base.replace('five', '5'), want: base.replace('two\n', '').replace('five', '5') },
    { name: 'the same insertion on both sides', mine: base.replace('three', 'three\nnew'), theirs: base.replace('three', 'three\nnew').replace('six', '6'), want: base.replace('three', 'three\nnew').replace('six', '6') },
    { name: 'both delete the same line', mine: base.replace('three\n', ''), theirs: base.replace('three\n', '').replace('one', '1'), want: base.replace('three\n', '').replace('one', '1') },
    { name: 'both create from an empty base, one adding nothing', from: '', mine: 'mine', theirs: '', want: 'mine' },
  ])('$name', ({ from, mine, theirs, want }) => {
    expect(merge3(from ?? base, mine, theirs)).toEqual({ clean: true, text: want });
  });

  it('reports an overlapping change with both sides and the base', () => {
    const result = merge3(base, base.replace('three', 'mine 3'), base.replace('three', 'their 3'));
    expect(result.clean).toBe(false);
    if (result.clean) return;
    const conflicts = result.regions.filter((r) => r.kind === 'conflict');
    expect(conflicts).toEqual([{ kind: 'conflict', mine: ['mine 3'], base: ['three'], theirs: ['their 3'] }]);
    expect(resolveRegions(result.regions, () => ({ side: 'mine', lines: null }))).toBe(base.replace('three', 'mine 3'));
    expect(resolveRegions(result.regions, () => ({ side: 'theirs', lines: null }))).toBe(base.replace('three', 'their 3'));
    expect(resolveRegions(result.regions, () => ({ side: 'mine', lines: ['by hand', 'two lines'] }))).toBe(base.replace('three', 'by hand\ntwo lines'));
  });

  // Decided as diff3 and git decide: a change that starts where the other side's ends may depend
  // on it, so a reader must look. One unchanged line between them is enough to merge (above).
  it.each([
    { name: 'changes to adjacent lines', mine: base.replace('two', '2'), theirs: base.replace('three', '3'), want: { mine: ['2', 'three'], base: ['two', 'three'], theirs: ['two', '3'] } },
    { name: 'different insertions at one place', mine: base.replace('two', 'two\nmine'), theirs: base.replace('two', 'two\ntheirs'), want: { mine: ['mine'], base: [], theirs: ['theirs'] } },
    { name: 'an insertion right after a changed line', mine: base.replace('two', 'two\nadded'), theirs: base.replace('two', '2'), want: { mine: ['two', 'added'], base: ['two'], theirs: ['2'] } },
  ])('$name conflict', ({ mine, theirs, want }) => {
    const result = merge3(base, mine, theirs);
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.regions.filter((r) => r.kind === 'conflict')).toEqual([{ kind: 'conflict', ...want }]);
    expect(resolveRegions(result.regions, () => ({ side: 'mine', lines: null }))).toBe(mine);
    expect(resolveRegions(result.regions, () => ({ side: 'theirs', lines: null }))).toBe(theirs);
  });
});

describe('merge3 on lines that name Object.prototype members', () => {
  const special = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'prototype'];

  it.each(special.map((word) => ({ name: word, word })))('$name in base, mine and theirs merges cleanly', ({ word }) => {
    const b = ['intro', word, 'middle', word, 'end'].join('\n');
    const mine = b.replace('intro', `intro\n${word}`);
    const theirs = b.replace('end', `${word}\nend`);
    expect(merge3(b, mine, theirs)).toEqual({ clean: true, text: ['intro', word, word, 'middle', word, word, 'end'].join('\n') });
  });

  it.each(special.map((word) => ({ name: word, word })))('$name in a conflict keeps both sides', ({ word }) => {
    const b = ['a', word, 'c'].join('\n');
    const result = merge3(b, b.replace(word, `${word} mine`), b.replace(word, `${word}\n${word}`));
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.regions).toContainEqual({ kind: 'conflict', mine: [`${word} mine`], base: [word], theirs: [word, word] });
  });
});

describe('merge3 on 3,000 identical lines (was 16–35 s with node-diff3)', () => {
  const same = Array.from({ length: 3000 }, () => 'same line');
  const edit = (lines: string[], at: number, text: string): string[] => lines.map((l, i) => (i === at ? text : l));
  const r1 = same.join('\n');
  const r2 = edit(same, 100, 'edited early').join('\n');
  const r3 = edit(edit(same, 100, 'edited early'), 2000, 'edited later').join('\n');

  it('undoes an old edit (base = the undone revision, mine = its parent, theirs = the latest)', () => {
    const started = performance.now();
    const result = merge3(r2, r1, r3);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toEqual({ clean: true, text: edit(same, 2000, 'edited later').join('\n') });
  });

  it('merges a stale save', () => {
    const mine = edit(same, 2900, 'mine').join('\n');
    const started = performance.now();
    const result = merge3(r1, mine, r3);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result).toEqual({ clean: true, text: edit(edit(edit(same, 100, 'edited early'), 2000, 'edited later'), 2900, 'mine').join('\n') });
  });

  it('finds the conflict of two edits of the same identical line', () => {
    const result = merge3(r1, edit(same, 1500, 'mine').join('\n'), edit(same, 1500, 'theirs').join('\n'));
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.regions.filter((r) => r.kind === 'conflict')).toEqual([{ kind: 'conflict', mine: ['mine'], base: ['same line'], theirs: ['theirs'] }]);
  });
});

describe('merge3 past its budget', () => {
  const lines = (seed: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${seed} line ${i} of a long page`);

  it('makes the rewritten middle one conflict when both sides changed it, keeping both texts whole', () => {
    const b = lines('base', 20_000);
    const mine = ['head', ...lines('mine', 20_000), 'tail'].join('\n');
    const theirs = ['head', ...b.map((l, i) => (i === 7_000 ? 'their edit' : l)), 'tail'].join('\n');
    const started = performance.now();
    const result = merge3(['head', ...b, 'tail'].join('\n'), mine, theirs);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.clean).toBe(false);
    if (result.clean) return;
    expect(result.regions.filter((r) => r.kind === 'conflict')).toHaveLength(1);
    expect(resolveRegions(result.regions, () => ({ side: 'mine', lines: null }))).toBe(mine);
    expect(resolveRegions(result.regions, () => ({ side: 'theirs', lines: null }))).toBe(theirs);
  });

  it('still merges a scattered rewrite with a far edit, anchored on unique lines', () => {
    const b = lines('base', 30_000);
    const mine = b.map((l, i) => (i % 10 === 0 ? `${l} (reworded)` : l));
    const theirs = b.map((l, i) => (i === 15_005 ? 'their edit' : l));
    const result = merge3(b.join('\n'), mine.join('\n'), theirs.join('\n'));
    expect(result).toEqual({ clean: true, text: mine.map((l, i) => (i === 15_005 ? 'their edit' : l)).join('\n') });
  });
});

// ---- properties over random small texts ----

/** A few random edits (replace, insert, delete) of random lines; new lines are named after the side. */
function mutate(random: () => number, lines: string[], side: string, alphabet: string[]): string[] {
  const out = [...lines];
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const fresh = alphabet.length === 0 || random() < 0.5 ? `${side} ${e}` : alphabet[Math.floor(random() * alphabet.length)]!;
    const kind = random();
    if (kind < 0.4 && at < out.length) out[at] = fresh;
    else if (kind < 0.7) out.splice(at, 0, fresh);
    else if (out.length > 1) out.splice(Math.min(at, out.length - 1), 1);
  }
  return out;
}

/** Lines of `text` whose text does not occur in `base` at all: whatever happens, they must survive. */
const newLines = (base: string, text: string): string[] => {
  const old = new Set(base.split('\n'));
  return text.split('\n').filter((l) => !old.has(l));
};

const swapped = (r: MergeResult): MergeResult =>
  r.clean ? r : { clean: false, regions: r.regions.map((x): MergeRegion => (x.kind === 'ok' ? x : { ...x, mine: x.theirs, theirs: x.mine })) };

describe('merge3 properties on random texts', () => {
  const alphabet = ['a', 'b', 'c', '', '__proto__', 'constructor', 'toString'];

  it('never throws; a clean merge has every line both sides added; a conflict keeps both sides; swapping sides swaps the result', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const random = prng(seed);
      const b = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]!);
      const mine = mutate(random, b, 'mine', alphabet).join('\n');
      const theirs = mutate(random, b, 'theirs', alphabet).join('\n');
      const result = merge3(b.join('\n'), mine, theirs);
      const kept = result.clean
        ? { mine: result.text.split('\n'), theirs: result.text.split('\n') }
        : {
            mine: result.regions.flatMap((r) => (r.kind === 'ok' ? r.lines : r.mine)),
            theirs: result.regions.flatMap((r) => (r.kind === 'ok' ? r.lines : r.theirs)),
          };
      for (const line of newLines(b.join('\n'), mine)) expect(kept.mine, `seed ${seed}: mine's "${line}"`).toContain(line);
      for (const line of newLines(b.join('\n'), theirs)) expect(kept.theirs, `seed ${seed}: theirs' "${line}"`).toContain(line);
      expect(merge3(b.join('\n'), theirs, mine), `seed ${seed}: symmetric`).toEqual(swapped(result));
    }
  });

  it('merges edits of separate parts of a text exactly (unique lines, so the alignment is unambiguous)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const random = prng(seed);
      const n = 4 + Math.floor(random() * 30);
      const b = Array.from({ length: n }, (_, i) => `base ${i}`);
      // Mine edits lines [0, cut), theirs lines [cut + 1, n): at least one unchanged line between.
      const cut = 1 + Math.floor(random() * (n - 3));
      const head = mutate(random, b.slice(0, cut), 'mine', []);
      const tail = mutate(random, b.slice(cut + 1), 'theirs', []);
      const mine = [...head, ...b.slice(cut)].join('\n');
      const theirs = [...b.slice(0, cut + 1), ...tail].join('\n');
      expect(merge3(b.join('\n'), mine, theirs), `seed ${seed}`).toEqual({ clean: true, text: [...head, b[cut], ...tail].join('\n') });
    }
  });
});
