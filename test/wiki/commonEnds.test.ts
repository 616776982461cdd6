/** commonEnds: the texts' common start and end, as a loop over their characters finds them. */
import { describe, expect, it } from 'vitest';
import { commonEnds } from '../../server/wiki/diff/commonEnds.js';
import { prng } from '../helpers/random.js';

function byLoop(a: string, b: string): { prefix: number; suffix: number } {
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

describe('commonEnds', () => {
  it.each([
    { a: '', b: '', want: { prefix: 0, suffix: 0 } },
    { a: 'same', b: 'same', want: { prefix: 4, suffix: 0 } },
    { a: 'abc', b: 'abXc', want: { prefix: 2, suffix: 1 } },
    { a: 'aaa', b: 'aaaa', want: { prefix: 3, suffix: 0 } },
    { a: 'xab', b: 'yab', want: { prefix: 0, suffix: 2 } },
  ])('$a against $b', ({ a, b, want }) => {
    expect(commonEnds(a, b)).toEqual(want);
  });

  it('finds what a loop over the characters finds, on 5,000 random edits', () => {
    const random = prng(41);
    const letters = ['a', 'b', '\n', 'é', '😀'];
    const text = (n: number) => Array.from({ length: n }, () => letters[Math.floor(random() * letters.length)]!).join('');
    for (let round = 0; round < 5000; round++) {
      const a = text(Math.floor(random() * 60));
      const from = Math.floor(random() * (a.length + 1));
      const to = from + Math.floor(random() * (a.length - from + 1));
      const b = a.slice(0, from) + text(Math.floor(random() * 4)) + a.slice(to);
      expect(commonEnds(a, b), JSON.stringify({ a, b })).toEqual(byLoop(a, b));
    }
  });
});
