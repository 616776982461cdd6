import { describe, expect, it } from 'vitest';
import { applyDelta, makeDelta } from '../../server/db/delta.js';
import { prng } from '../helpers/random.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const WORDS = 'peer network wiki node edit page link text share trust graph relay gossip swarm seed'.split(' ');

function article(seed: number, words: number): string {
  const random = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]! + (i % 12 === 11 ? '.\n' : ''));
  return out.join(' ');
}

function roundTrip(base: string, target: string): Buffer {
  const d = makeDelta(bytes(base), bytes(target));
  expect(applyDelta(bytes(base), d).toString('utf8')).toBe(target);
  return d;
}

describe('byte deltas', () => {
  it('rebuilds the target exactly, whatever the two texts', () => {
    const a = article(1, 900);
    const cases: Array<[string, string]> = [
      ['', ''],
      ['', a],
      [a, ''],
      [a, a],
      ['short', 'shorter'],
      [a, article(2, 900)],
      [a, a.replace('wiki', 'wikis')],
      [a, `${a.slice(0, 2000)}an inserted sentence. ${a.slice(2000)}`],
      [a, a.slice(0, 1000) + a.slice(1500)],
      [a, a.slice(3000) + a.slice(0, 3000)],
      ['café ✓ 👍 '.repeat(300), 'café ✓ 🎉 '.repeat(300)],
      ['a'.repeat(10_000), 'a'.repeat(10_001)],
      ['ab'.repeat(5_000), 'ba'.repeat(5_000)],
    ];
    for (const [base, target] of cases) roundTrip(base, target);
  });

  it('writes a small edit of a long text in a few bytes', () => {
    const a = article(3, 1_500); // about 9 KB
    expect(roundTrip(a, a.replace(' trust ', ' distrust ')).length).toBeLessThan(40);
    expect(roundTrip(a, `${a}\nA new closing paragraph of twelve words or so, added at the end.`).length).toBeLessThan(90);
    expect(roundTrip(a, a).length).toBeLessThan(12);
    // Unrelated texts cost about their own size: no blow-up.
    const other = article(4, 1_500);
    expect(roundTrip(a, other).length).toBeLessThan(other.length + 64);
  });

  it('random edits of random texts all round-trip', () => {
    const random = prng(5);
    for (let n = 0; n < 200; n++) {
      let text = article(100 + n, 50 + Math.floor(random() * 800));
      const base = text;
      for (let e = Math.floor(random() * 6); e >= 0; e--) {
        const at = Math.floor(random() * text.length);
        const cut = Math.floor(random() * 40);
        text = text.slice(0, at) + (random() < 0.5 ? article(n, 5) : '') + text.slice(at + cut);
      }
      roundTrip(base, text);
    }
  });

  it('refuses a malformed delta or a delta for another base, never returning wrong text', () => {
    const base = bytes(article(6, 500));
    const d = makeDelta(base, bytes(article(6, 500).replace('wiki', 'WIKI')));
    expect(() => applyDelta(bytes('another base'), d)).toThrow(/base of \d+ bytes/);
    expect(() => applyDelta(base, d.subarray(0, d.length - 1))).toThrow(/delta/);
    expect(() => applyDelta(base, Buffer.concat([d, Buffer.from([1])]))).toThrow(/past its target/);
    expect(() => applyDelta(base, Buffer.from([0x80]))).toThrow(/ends inside a number/);
    // A copy from outside the base.
    const outside = Buffer.from([base.length & 0x7f | 0x80, base.length >> 7, 10, (10 << 1) | 1, 0xfe, 0x7f]);
    expect(() => applyDelta(base, outside)).toThrow(/outside its base|base of/);
  });
});
