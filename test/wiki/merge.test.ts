import { describe, expect, it } from 'vitest';
import { merge3, resolveRegions } from '../../server/wiki/merge.js';

const base = ['one', 'two', 'three', 'four', 'five', 'six'].join('\n');

describe('merge3', () => {
  it.each([
    { name: 'edits far apart merge', mine: base.replace('one', 'ONE'), theirs: base.replace('six', 'SIX'), want: base.replace('one', 'ONE').replace('six', 'SIX') },
    { name: 'same change on both sides', mine: base.replace('two', '2'), theirs: base.replace('two', '2'), want: base.replace('two', '2') },
    { name: 'only mine changed', mine: base + '\nseven', theirs: base, want: base + '\nseven' },
    { name: 'only theirs changed', mine: base, theirs: 'zero\n' + base, want: 'zero\n' + base },
    { name: 'insert at top and append at end', mine: 'zero\n' + base, theirs: base + '\nseven', want: 'zero\n' + base + '\nseven' },
  ])('$name', ({ mine, theirs, want }) => {
    expect(merge3(base, mine, theirs)).toEqual({ clean: true, text: want });
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
});
