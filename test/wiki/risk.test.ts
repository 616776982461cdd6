/** risk.ts text checks: the linear scanners count exactly what the old regexes matched, on any text. */
import { describe, expect, it } from 'vitest';
import { footnoteRefs, repeatsCharacter, riskOf, scoreRisk, shouting, textSignals } from '../../server/wiki/risk.js';
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
