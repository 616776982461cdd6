import { describe, expect, it } from 'vitest';
import { inheritAuthors, recallMap } from '../../server/wiki/authorship.js';

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
      { text: 'shared line\nnewest only', authors: [30, 30] },
      { text: 'older line\nshared line', authors: [20, 20] },
      { text: 'shared line', authors: [10] },
    ]);
    expect(Object.fromEntries(map)).toEqual({ 'shared line': 10, 'newest only': 30, 'older line': 20 });
  });

  it('reads each line\'s own author, by position', () => {
    expect(Object.fromEntries(recallMap([{ text: 'alpha line\nbeta line\ngamma line', authors: [1, 2, 3] }]))).toEqual({ 'alpha line': 1, 'beta line': 2, 'gamma line': 3 });
  });

  it.each([
    { name: 'blank', line: '' },
    { name: 'spaces around a short word', line: '  ab  ' },
    { name: 'a rule', line: '---' },
  ])('leaves out lines too short to say who wrote them: $name', ({ line }) => {
    expect(recallMap([{ text: `${line}\nlong enough`, authors: [1, 2] }]).has(line)).toBe(false);
  });

  it('feeds inheritAuthors: a line removed and restored later goes back to its writer', () => {
    // Revision 1 wrote "the fact", 2 removed it, 3 (the child) puts it back.
    const recall = recallMap([{ text: 'the intro\nthe fact', authors: [1, 1] }]);
    expect(inheritAuthors(['the intro'], [1], ['the intro', 'the fact'], 3, recall)).toEqual([1, 1]);
  });
});
