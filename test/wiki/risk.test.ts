/** risk.ts text checks: the linear scanners count exactly what the old regexes matched, on any text. */
import { describe, expect, it } from 'vitest';
import { addedText, footnoteRefs, repeatsCharacter, riskOf, scoreRisk, shouting, textSignals } from '../../server/wiki/risk.js';
import { prng } from '../helpers/random.js';

// The regexes these scanners replace: right, but quadratic (or slow) on hostile text.
const OLD_FOOTNOTE_REF = /\[\^[^\]\s]+\](?!:)/g;
const OLD_REPEATED = /(\S)\1{9,}/u;

function randomText(seed: number, alphabet: string[], length: number): string {
  const random = prng(seed);
  return Array.from({ length: Math.floor(random() * length) }, () => alphabet[Math.floor(random() * alphabet.length)]!).join('');
}

describe('footnoteRefs', () => {
  it.each([
    { name: 'one reference', text: 'Fact.[^1]', want: 1 },
    { name: 'the note itself is no reference', text: '[^1]: Source.', want: 0 },
    { name: 'reference and note', text: 'Fact.[^1]\n\n[^1]: Source.', want: 1 },
    { name: 'empty label', text: '[^]', want: 0 },
    { name: 'space in the label', text: '[^a b]', want: 0 },
    { name: 'tab in the label', text: '[^a\tb]', want: 0 },
    { name: 'label with [ and ^', text: '[^[^x]', want: 1 },
    { name: 'unclosed run', text: '[^[^[^[^', want: 0 },
    { name: 'two in a row', text: '[^a][^b]', want: 2 },
    { name: 'followed by a colon later', text: '[^a] :', want: 1 },
    { name: 'non-breaking space ends a label', text: '[^a\u00a0b]', want: 0 },
  ])('$name', ({ text, want }) => {
    expect(footnoteRefs(text)).toBe(want);
    expect(text.match(OLD_FOOTNOTE_REF)?.length ?? 0).toBe(want);
  });

  it('counts what the old regex counted, on 3,000 random texts', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomText(seed, ['[', '^', ']', ':', ' ', '\t', 'a', '1', '\n'], 40);
      expect(footnoteRefs(text), JSON.stringify(text)).toBe(text.match(OLD_FOOTNOTE_REF)?.length ?? 0);
    }
  });

  it('scans 1 MiB of [^ in linear time (the regex took minutes)', () => {
    const started = performance.now();
    expect(footnoteRefs('[^'.repeat(512 * 1024))).toBe(0);
    expect(footnoteRefs(`${'[^'.repeat(512 * 1024)}]`)).toBe(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('addedText', () => {
  // What it replaces: every line of both texts split and hashed.
  const allLines = (oldText: string, newText: string) => {
    const old = new Set(oldText.split('\n'));
    return newText.split('\n').filter((l) => !old.has(l)).join('\n');
  };

  it.each([
    { name: 'a line added', old: 'a\nb\n', text: 'a\nx\nb\n', want: 'x' },
    { name: 'lines joined', old: 'a\nb', text: 'ab', want: 'ab' },
    { name: 'a line cut short at the end of the change', old: 'xa\nb', text: 'x\nb', want: 'x' },
    { name: 'a line that moved is not added', old: 'a\nb\nc', text: 'c\na\nb', want: '' },
    { name: 'a line whose start is the old tail of another', old: 'pq\nr', text: 'p\nq\nr', want: 'p\nq' },
    { name: 'the same line twice', old: 'a', text: 'a\nz\nz', want: 'z\nz' },
    { name: 'no change', old: 'a\nb', text: 'a\nb', want: '' },
    { name: 'a new page', old: null, text: 'a\nb', want: 'a\nb' },
  ])('$name', ({ old, text, want }) => {
    expect(addedText(old, text)).toBe(want);
    if (old !== null) expect(allLines(old, text)).toBe(want);
  });

  it('finds what splitting every line found, on 3,000 random edits', () => {
    const random = prng(12);
    const alphabet = ['a', 'b', 'c', '\n', '\n', 'ab', 'a\nb'];
    for (let round = 0; round < 3000; round++) {
      const old = randomText(round, alphabet, 40);
      const from = Math.floor(random() * (old.length + 1));
      const to = from + Math.floor(random() * (old.length - from + 1));
      const text = old.slice(0, from) + randomText(round + 7000, alphabet, 6) + old.slice(to);
      expect(addedText(old, text), JSON.stringify({ old, text })).toBe(allLines(old, text));
    }
  });

  it('takes time linear in the text when every line is as long as the one added', () => {
    const time = (lines: number) => {
      const old = 'abcdefgh\n'.repeat(lines);
      const text = `${old}zzzzzzzz\n`;
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) expect(addedText(old, text)).toBe('zzzzzzzz');
      return performance.now() - t0;
    };
    time(5_000);
    const small = time(20_000);
    const large = time(160_000);
    // 8 times the text: linear work takes about 8 times as long; quadratic, 64 times.
    expect(large / small).toBeLessThan(24);
  });
});

describe('repeatsCharacter', () => {
  it.each([
    { name: 'ten in a row', text: 'looooooooooool', want: true },
    { name: 'nine in a row', text: 'x' + 'o'.repeat(9) + 'x', want: false },
    { name: 'spaces do not count', text: ' '.repeat(50), want: false },
    { name: 'a run after spaces', text: ' '.repeat(20) + '!'.repeat(10), want: true },
    { name: 'astral characters count once each', text: '😀'.repeat(10), want: true },
    { name: 'nine astral characters', text: '😀'.repeat(9), want: false },
  ])('$name', ({ text, want }) => {
    expect(repeatsCharacter(text)).toBe(want);
    expect(OLD_REPEATED.test(text)).toBe(want);
  });

  it('agrees with the old regex on 3,000 random texts', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomText(seed, ['a', 'a', 'a', 'b', ' ', '😀', '\u00a0'], 60);
      expect(repeatsCharacter(text), JSON.stringify(text)).toBe(OLD_REPEATED.test(text));
    }
  });
});

describe('shouting', () => {
  it.each([
    { name: 'capitals', text: 'THIS PAGE IS WRONG AND STUPID', want: true },
    { name: 'too few letters', text: 'NO WAY', want: false },
    { name: 'ordinary prose', text: 'Peer networks get big things done outside governments and markets.', want: false },
    { name: 'capitals in another script', text: 'ЭТА СТРАНИЦА НЕВЕРНА И ГЛУПА', want: true },
    { name: 'digits and punctuation are no letters', text: 'ABCDEFGHIJ 1234567890 !!!! abcdefghij', want: false },
  ])('$name', ({ text, want }) => {
    expect(shouting(text)).toBe(want);
  });
});

describe('textSignals and scoreRisk', () => {
  it('score as riskOf does', () => {
    const facts = { oldText: 'Fact.[^1] and [^2]', newText: 'Fact. NOW IT IS ALL CAPITALS, LOUD AND CLEAR!!!!!!!!!!', tags: ['new-user'], temporaryAccount: false, recentEdits: 6 };
    const signals = textSignals(facts.oldText, facts.newText);
    expect(signals).toEqual({ referencesRemoved: 2, repeated: true, shouting: true });
    expect(scoreRisk(signals, facts)).toEqual(riskOf(facts));
    expect(riskOf(facts).reasons).toEqual(['by a new user', 'removes 2 references', 'repeats a character many times', 'mostly capital letters', '6 edits in ten minutes']);
  });
});
