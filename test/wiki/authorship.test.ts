import { describe, expect, it } from 'vitest';
import { firstAuthors, inheritAuthors, inheritRuns, linesOf, mapRunIds, recallMap, runsOf } from '../../server/wiki/authorship.js';

// Revision ids: 1, 2, 3 wrote the parent's lines; 9 is the child. (blame.test.ts covers the basics
// through blame(); these are the rules of the pure step itself.)
describe('inheritAuthors', () => {
  it.each([
    { name: 'kept lines keep authors around an edit', parent: ['intro line', 'middle line', 'outro line'], authors: [1, 2, 3],
      child: ['intro line', 'middle line, edited', 'outro line'], want: [1, 9, 3] },
    { name: 'repeated kept lines keep each its own author', parent: ['same text', 'same text'], authors: [1, 2],
      child: ['same text', 'same text', 'new line here'], want: [1, 2, 9] },
    { name: 'a line moved up keeps its writer', parent: ['first line', 'second line', 'third line'], authors: [1, 2, 3],
      child: ['third line', 'first line', 'second line'], want: [3, 1, 2] },
    { name: 'a line moved down keeps its writer', parent: ['first line', 'second line', 'third line'], authors: [1, 2, 3],
      child: ['second line', 'third line', 'first line'], want: [2, 3, 1] },
    { name: 'a short line is never credited to a move', parent: ['---', 'body line'], authors: [1, 2],
      child: ['body line', '---'], want: [2, 9] },
    { name: 'a recalled line goes to its first writer', parent: ['kept line'], authors: [1],
      child: ['kept line', 'came back again'], recall: [['came back again', 5]], want: [1, 5] },
    { name: 'recall wins over a move: the first writer, not the last mover', parent: ['moved line', 'kept line'], authors: [2, 1],
      child: ['kept line', 'moved line'], recall: [['moved line', 5]], want: [1, 5] },
    { name: 'a short recalled line is the child\'s', parent: ['kept line'], authors: [1],
      child: ['kept line', 'ok'], recall: [['ok', 5]], want: [1, 9] },
    { name: 'a recalled text the diff keeps keeps its parent author', parent: ['kept line'], authors: [1],
      child: ['kept line'], recall: [['kept line', 5]], want: [1] },
    { name: 'from nothing every line is the child\'s', parent: [], authors: [],
      child: ['one line', 'two line'], want: [9, 9] },
  ])('$name', ({ parent, authors, child, recall, want }) => {
    expect(inheritAuthors(parent, authors, child, 9, new Map(recall as Array<[string, number]> | undefined))).toEqual(want);
  });

  it('reads recall sources only for the lines the child adds, with the same authors as the whole map', () => {
    const sources = [
      { text: 'kept line\nundone line\nother old line', authors: [4, 1, 5, 2] },
      { text: 'kept line\nundone line', authors: [3, 2] },
    ];
    const parent = ['kept line', 'a later line'];
    const child = ['kept line', 'undone line', 'a later line', 'brand new line'];
    const got = inheritAuthors(parent, [3, 6], child, 9, sources);
    expect(got).toEqual([3, 3, 6, 9]);
    expect(got).toEqual(inheritAuthors(parent, [3, 6], child, 9, recallMap(sources)));
    // Nothing added, nothing looked for; only what is wanted is kept.
    expect(recallMap(sources, new Set()).size).toBe(0);
    expect(Object.fromEntries(recallMap(sources, new Set(['undone line', 'not there'])))).toEqual({ 'undone line': 3 });
  });

  it('finds wanted lines exactly as a pass over every line would, duplicates and short runs included', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pool = ['alpha line', 'beta line', 'gamma line', 'delta line', 'epsilon line', 'ab', 'beta line x', 'x beta line'];
    for (let round = 0; round < 300; round++) {
      const sources = Array.from({ length: 1 + rand(4) }, () => {
        const lines = Array.from({ length: 1 + rand(8) }, () => pool[rand(pool.length)]!);
        const authors: number[] = [];
        for (let left = lines.length - rand(3); left > 0; ) {
          const n = Math.min(left, rand(3));
          authors.push(1 + rand(50), n);
          left -= n;
        }
        return { text: lines.join('\n'), authors };
      });
      const wanted = new Set(pool.filter(() => rand(2) === 0));
      const whole = recallMap(sources);
      const expected = Object.fromEntries([...whole].filter(([line]) => wanted.has(line)));
      expect(Object.fromEntries(recallMap(sources, wanted))).toEqual(expected);
    }
  });

  it('gives one author per child line whatever the texts', () => {
    const parent = Array.from({ length: 300 }, (_, i) => `line ${i % 7}`);
    const child = Array.from({ length: 250 }, (_, i) => `line ${(i * 3) % 11}`);
    const got = inheritAuthors(parent, parent.map((_, i) => i + 1), child, 9999, new Map(), { timeoutMs: 0, maxEditLength: 5 });
    expect(got).toHaveLength(child.length);
    for (const a of got) expect(a === 9999 || (a >= 1 && a <= 300)).toBe(true);
  });
});

describe('recallMap', () => {
  it('maps each line to its oldest writer: sources come newest first, older overwrite', () => {
    const map = recallMap([
      { text: 'shared line\nnewest only', authors: [30, 2] },
      { text: 'older line\nshared line', authors: [20, 2] },
      { text: 'shared line', authors: [10, 1] },
    ]);
    expect(Object.fromEntries(map)).toEqual({ 'shared line': 10, 'newest only': 30, 'older line': 20 });
  });

  it('reads each line\'s own author, by position, from runs', () => {
    expect(Object.fromEntries(recallMap([{ text: 'alpha line\nbeta line\ngamma line', authors: [1, 1, 2, 1, 3, 1] }]))).toEqual({ 'alpha line': 1, 'beta line': 2, 'gamma line': 3 });
    expect(Object.fromEntries(recallMap([{ text: 'alpha line\nbeta line\ngamma line\ndelta line', authors: [1, 2, 2, 0, 3, 2] }]))).toEqual({ 'alpha line': 1, 'beta line': 1, 'gamma line': 3, 'delta line': 3 });
    // Lines past the runs (a text and authorship that disagree) are not credited to anyone.
    expect(Object.fromEntries(recallMap([{ text: 'alpha line\nbeta line', authors: [1, 1] }]))).toEqual({ 'alpha line': 1 });
  });

  it.each([
    { name: 'blank', line: '' },
    { name: 'spaces around a short word', line: '  ab  ' },
    { name: 'a rule', line: '---' },
  ])('leaves out lines too short to say who wrote them: $name', ({ line }) => {
    expect(recallMap([{ text: `${line}\nlong enough`, authors: [1, 1, 2, 1] }]).has(line)).toBe(false);
  });

  it('feeds inheritAuthors: a line removed and restored later goes back to its writer', () => {
    // Revision 1 wrote "the fact", 2 removed it, 3 (the child) puts it back.
    const recall = recallMap([{ text: 'the intro\nthe fact', authors: [1, 2] }]);
    expect(inheritAuthors(['the intro'], [1], ['the intro', 'the fact'], 3, recall)).toEqual([1, 1]);
  });
});

describe('authorship as runs', () => {
  it.each([
    { name: 'no lines', lines: [] as number[], runs: [] as number[] },
    { name: 'one author', lines: [4, 4, 4], runs: [4, 3] },
    { name: 'alternating authors', lines: [1, 2, 1], runs: [1, 1, 2, 1, 1, 1] },
    { name: 'runs of several', lines: [1, 1, 2, 2, 2, 3], runs: [1, 2, 2, 3, 3, 1] },
  ])('turns $name into runs and back', ({ lines, runs }) => {
    expect(runsOf(lines)).toEqual(runs);
    expect(linesOf(runs)).toEqual(lines);
  });

  it('renames ids, never counts', () => {
    expect(mapRunIds([0, 3, 5, 1, 0, 2], (id) => (id === 0 ? 9 : id))).toEqual([9, 3, 5, 1, 9, 2]);
  });

  it('counts a first text\'s lines in one run', () => {
    expect(firstAuthors('a\nb\nc', 7)).toEqual([7, 3]);
    expect(firstAuthors('', 7)).toEqual([7, 1]);
  });

  it('inherits over runs as inheritAuthors does over lines', () => {
    const parent = 'the intro\nby two\nthe end';
    const child = 'the intro\nnew line\nby two\nthe end\nthe fact';
    const recall = [{ text: 'the intro\nthe fact', authors: [1, 2] }];
    const want = inheritAuthors(parent.split('\n'), [1, 2, 2], child.split('\n'), 3, recallMap(recall));
    expect(want).toEqual([1, 3, 2, 2, 1]);
    expect(inheritRuns(parent, [1, 1, 2, 2], child, 3, recall)).toEqual(runsOf(want));
  });

  it('keeps the authors of the lines both texts start and end with, where a diff of every line may not', () => {
    // Lines alike enough that a diff of the whole texts has two equally short answers: the
    // inserted "b" might take the place of either "b".
    const parent = 'a\nb\na\nb';
    const child = 'a\nb\nb\na\nb';
    const runs = inheritRuns(parent, [1, 1, 2, 1, 3, 1, 4, 1], child, 9, []);
    expect(linesOf(runs)).toHaveLength(5);
    expect(linesOf(runs).slice(0, 2)).toEqual([1, 2]);
    expect(linesOf(runs).slice(-2)).toEqual([3, 4]);
  });

  it('gives what inheritAuthors gives over every line, on 2,000 random edits of distinct lines', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 2000; round++) {
      const parent = Array.from({ length: 1 + Math.floor(random() * 30) }, (_, i) => `line ${i}`);
      const child = [...parent];
      const at = Math.floor(random() * (child.length + 1));
      child.splice(at, Math.floor(random() * 3), ...Array.from({ length: Math.floor(random() * 3) }, (_, i) => `new ${round} ${i}`));
      if (random() < 0.3 && child.length > 0) child[Math.floor(random() * child.length)] += ' edited';
      if (child.length === 0) child.push(''); // a text has a line at least
      const authors = parent.map((_, i) => 100 + (i % 7));
      const whole = inheritAuthors(parent, authors, child, 9, []);
      expect(inheritRuns(parent.join('\n'), runsOf(authors), child.join('\n'), 9, []), JSON.stringify({ parent, child })).toEqual(runsOf(whole));
    }
  });
});
