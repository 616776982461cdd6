/**
 * Growth: every algorithm that runs on user text stays near-linear, or bounded by its budget.
 *
 * Each family is timed at n and 2n characters (the fastest of several interleaved runs, each after a
 * full garbage collection, so other runs and other test files disturb it least) and the time may at most triple, plus a few
 * milliseconds of noise: linear code doubles, quadratic code quadruples and more. Budgeted
 * functions (merge, diff, blame) are measured with a tiny budget, so what grows is the work around
 * the exact diff (trimming, interning, anchoring, regions, entries); the exact diff's own bound is
 * checked at 1 MiB with the default budgets, against caps far above what they measure (hundreds of
 * milliseconds) and far below what the old code took (node-diff3 30 s, the footnote regex minutes).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { inheritAuthors } from '../../server/wiki/blame.js';
import { chunksOf, withoutStopWords } from '../../server/db/search.js';
import { applyDelta, makeDelta } from '../../server/db/delta.js';
import { makeExcerpt, skim } from '../../server/wiki/searchExcerpt.js';
import { compareTexts, type CompareOptions } from '../../server/wiki/diff.js';
import { merge3, type DiffBudget } from '../../server/wiki/merge.js';
import { riskOf } from '../../server/wiki/risk.js';
import { signalTags } from '../../server/wiki/tags.js';
import { prng } from '../helpers/random.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const TINY: DiffBudget = { timeoutMs: 1, maxEditLength: 50 };
const TINY_COMPARE: CompareOptions = { timeoutMs: TINY.timeoutMs, maxEditLength: TINY.maxEditLength, context: 'all' };

// ---- texts ----

const WORDS = 'peer network wiki node edit page link text share trust graph relay gossip swarm seed leech'.split(' ');
const words = (random: () => number, count: number): string => Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');

/** Lines of random words, about `size` characters in all. */
function prose(seed: number, size: number): string[] {
  const random = prng(seed);
  const lines: string[] = [];
  for (let total = 0; total < size; ) {
    const line = words(random, 3 + Math.floor(random() * 12));
    lines.push(line);
    total += line.length + 1;
  }
  return lines;
}

const same = (size: number, line = 'same line'): string[] => Array.from({ length: Math.floor(size / (line.length + 1)) }, () => line);
const set = (lines: string[], at: number, text: string): string[] => lines.map((l, i) => (i === at ? text : l));
const every = (lines: string[], step: number, offset: number, edit: (l: string) => string): string[] => lines.map((l, i) => (i % step === offset ? edit(l) : l));
const alternate = (size: number): [string[], string[]] => {
  const xs = same(size, 'x');
  return [xs, xs.map((l, i) => (i % 2 ? 'y' : l))];
};

/** Paragraphs of three lines, about `size` characters in all. */
function paragraphs(seed: number, size: number): string[] {
  const random = prng(seed);
  const out: string[] = [];
  for (let total = 0; total < size; ) {
    const p = [words(random, 8), words(random, 8), words(random, 8)].join('\n');
    out.push(p);
    total += p.length + 2;
  }
  return out;
}

/** Two blocks, each one paragraph repeated: about `size` characters in all. */
function copies(size: number): [string[], string[]] {
  const [a, b] = paragraphs(7, 1000);
  const count = Math.max(1, Math.floor(size / 2 / (a!.length + 2)));
  return [Array.from({ length: count }, () => a!), Array.from({ length: count }, () => b!)];
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---- measuring ----

// A full collection before each timed call, so no call pays for the garbage of the one before.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** The fastest of `runs` interleaved calls of each function, in milliseconds. */
function fastest(fns: Array<() => unknown>, runs: number): number[] {
  const best = fns.map(() => Infinity);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, k) => {
      collectGarbage();
      const started = performance.now();
      fn();
      best[k] = Math.min(best[k]!, performance.now() - started);
    });
  }
  return best;
}

interface Family<T> { name: string; make: (size: number) => T }

/**
 * Asserts that `run` on the family's input of 2n characters takes at most about three times as long
 * as on n. Sizes start at 256 KiB: below that, V8's cost per allocated string still steps up as the
 * young generation grows (String.split alone takes 5× as long at 256 KiB as at 128 KiB), which says
 * nothing about the algorithm.
 */
function expectNearLinear<T>(family: Family<T>, run: (input: T) => unknown, n: number, runs = 7): void {
  const small = family.make(n);
  const large = family.make(2 * n);
  // Compiled, and its tables grown, before it is timed.
  run(small);
  run(large);
  // Up to three rounds: other test files share the cores, and a stretch of load during one round
  // can slow the larger input alone. Quadratic work takes four times as long in every round, so a
  // retry never lets it through; linear work passes in a round that is not disturbed.
  let t1 = 0;
  let t2 = 0;
  for (let round = 1; round <= 3; round++) {
    [t1, t2] = fastest([() => run(small), () => run(large)], runs + 2 * (round - 1)) as [number, number];
    console.info(`${family.name}: ${t1.toFixed(1)} ms at ${n / KiB} KiB, ${t2.toFixed(1)} ms at ${(2 * n) / KiB} KiB (round ${round})`);
    if (t2 < 3 * t1 + 5) break;
  }
  expect(t2, `${family.name}: ${t1.toFixed(1)} ms → ${t2.toFixed(1)} ms`).toBeLessThan(3 * t1 + 5);
}

/** Asserts that `run` finishes within `capMs` (and reports the time). */
function expectWithin(name: string, capMs: number, run: () => unknown): void {
  const started = performance.now();
  run();
  const ms = performance.now() - started;
  console.info(`${name} at 1 MiB: ${ms.toFixed(0)} ms`);
  expect(ms, name).toBeLessThan(capMs);
}

// ---- families ----

type Three = [string, string, string];
const join = (...texts: string[][]): string[] => texts.map((t) => t.join('\n'));

const mergeFamilies: Array<Family<Three>> = [
  { name: 'many equal lines, an old edit undone', make: (n) => { const s = same(n); const b = set(s, 100, 'old edit'); return join(b, s, set(b, b.length - 100, 'later edit')) as Three; } },
  { name: 'many equal lines, scattered edits', make: (n) => { const s = same(n); return join(s, every(s, 100, 0, () => 'mine'), every(s, 100, 50, () => 'theirs')) as Three; } },
  { name: 'distinct lines, a few edits', make: (n) => { const s = prose(1, n); const step = s.length >> 3; return join(s, every(s, step, 0, (l) => `${l} mine`), every(s, step, 7, (l) => `${l} theirs`)) as Three; } },
  { name: 'distinct lines, scattered edits', make: (n) => { const s = prose(1, n); return join(s, every(s, 20, 0, (l) => `${l} mine`), every(s, 20, 10, (l) => `${l} theirs`)) as Three; } },
  { name: 'three unrelated texts', make: (n) => join(prose(1, n), prose(2, n), prose(3, n)) as Three },
  { name: 'alternating equal lines', make: (n) => { const [xs, alt] = alternate(n); return join(xs, alt, every(xs, 3, 0, () => 'z')) as Three; } },
  { name: 'one enormous line', make: (n) => { const l = words(prng(4), n / 6); return [l, `${l} mine`, `theirs ${l}`]; } },
  { name: 'moved paragraphs', make: (n) => { const p = paragraphs(5, n); return [p.join('\n\n'), shuffled(p, 6).join('\n\n'), [...p].reverse().join('\n\n')]; } },
];

const diffFamilies: Array<Family<[string, string]>> = [
  { name: 'many equal lines, two edits', make: (n) => { const s = same(n); return [s.join('\n'), set(set(s, 5, 'x'), s.length - 5, 'y').join('\n')]; } },
  { name: 'alternating equal lines', make: (n) => { const [xs, alt] = alternate(n); return [xs.join('\n'), alt.join('\n')]; } },
  { name: 'distinct lines, every 20th edited', make: (n) => { const s = prose(1, n); return [s.join('\n'), every(s, 20, 0, (l) => `${l} edited`).join('\n')]; } },
  { name: 'two unrelated texts', make: (n) => [prose(1, n).join('\n'), prose(2, n).join('\n')] },
  { name: 'one enormous line', make: (n) => { const l = words(prng(3), n / 6); return [l, `${l.slice(0, n / 2)} changed ${l.slice(n / 2)}`]; } },
  { name: 'repeated characters', make: (n) => ['a'.repeat(n), `${'a'.repeat(n / 2)}b${'a'.repeat(n / 2)}`] },
  { name: 'moved paragraphs', make: (n) => { const p = paragraphs(5, n); return [p.join('\n\n'), shuffled(p, 6).join('\n\n')]; } },
  { name: 'many copies of two paragraphs, swapped', make: (n) => { const [a, b] = copies(n); return [[...a, ...b].join('\n\n'), [...b, ...a].join('\n\n')]; } },
];

const wordFamilies: Array<Family<[string, string]>> = [
  { name: 'word diff: short lines, one word changed in each', make: (n) => { const s = prose(8, n); return [s.join('\n'), s.map((l) => l.replace(/\w+$/, 'changed')).join('\n')]; } },
  { name: 'word diff: long lines, every fourth word changed', make: (n) => { const random = prng(9); const s = Array.from({ length: Math.max(1, n / 2000) }, () => words(random, 330)); return [s.join('\n'), s.map((l) => l.split(' ').map((w, k) => (k % 4 ? w : w.toUpperCase())).join(' ')).join('\n')]; } },
];

const textFamilies: Array<Family<string>> = [
  { name: 'runs of [^', make: (n) => '[^'.repeat(n / 2) },
  { name: 'runs of [^x', make: (n) => '[^x'.repeat(n / 3) },
  { name: 'one repeated character', make: (n) => 'a'.repeat(n) },
  { name: 'two alternating characters', make: (n) => 'ab'.repeat(n / 2) },
  { name: 'capital letters', make: (n) => 'SHOUTING IS LOUD '.repeat(n / 17) },
  { name: 'http:// without end', make: (n) => 'http://'.repeat(n / 7) },
  { name: 'many links', make: (n) => 'see https://peer.example/wiki/Page_(x) '.repeat(n / 40) },
  { name: 'many short lines', make: (n) => 'x\n'.repeat(n / 2) },
  { name: 'white space', make: (n) => ' \t'.repeat(n / 2) },
];

// ---- tests ----

describe('merge3 grows linearly (tiny budget)', () => {
  it.each(mergeFamilies)('$name', (family) => {
    expectNearLinear(family, ([b, m, t]) => merge3(b, m, t, TINY), 256 * KiB, 5);
  });
});

describe('compareTexts grows linearly (tiny budget): line diff, word diff, moves', () => {
  it.each([...diffFamilies, ...wordFamilies])('$name', (family) => {
    expectNearLinear(family, ([a, b]) => compareTexts(a, b, TINY_COMPARE), 256 * KiB, 5);
  });

  it.each(wordFamilies)('$name, default budget', (family) => {
    expectNearLinear(family, ([a, b]) => compareTexts(a, b), 256 * KiB, 5);
  });
});

describe('inheritAuthors grows linearly (tiny budget)', () => {
  it.each(mergeFamilies)('$name', (family) => {
    const input = (n: number) => { const [b, m] = family.make(n); const parent = b.split('\n'); return { parent, authors: parent.map(() => 1), child: m.split('\n') }; };
    expectNearLinear({ name: family.name, make: input }, (x) => inheritAuthors(x.parent, x.authors, x.child, 2, new Map(), TINY), 256 * KiB, 5);
  });
});

describe('stored deltas grow linearly: making and applying', () => {
  const asBytes = ([a, b]: [string, string]) => [Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')] as const;
  const families: Array<Family<[string, string]>> = [
    ...diffFamilies,
    ...textFamilies.map((f) => ({ name: f.name, make: (n: number) => [f.make(n), f.make(n).slice(1)] as [string, string] })),
  ];
  it.each(families)('$name', (family) => {
    expectNearLinear({ name: family.name, make: (n) => asBytes(family.make(n)) }, ([base, target]) => applyDelta(base, makeDelta(base, target)), 512 * KiB, 7);
  });
});

describe('search excerpts grow linearly', () => {
  const markup: Array<Family<string>> = [
    ...textFamilies,
    { name: 'unclosed wiki links', make: (n) => '[['.repeat(n / 2) },
    { name: 'unclosed labelled links', make: (n) => '[[a|'.repeat(n / 4) },
    { name: 'unclosed Markdown links', make: (n) => '[x]('.repeat(n / 4) },
    { name: 'footnote marks', make: (n) => '[^'.repeat(n / 2) },
    { name: 'list markers', make: (n) => '- - - '.repeat(n / 6) },
  ];
  it.each(markup)('skim and makeExcerpt: $name', (family) => {
    expectNearLinear(family, (text) => makeExcerpt(skim(text), ['a', 'x', 'network']), 256 * KiB, 5);
  });
});

describe('search chunks grow linearly', () => {
  it.each([
    { name: 'no whitespace at all', make: (n: number) => '|c'.repeat(n / 2) },
    { name: 'one space at the start', make: (n: number) => ` ${'x'.repeat(n - 1)}` },
    { name: 'words', make: (n: number) => 'word '.repeat(n / 5) },
  ])('chunksOf: $name', (family) => {
    expectNearLinear(family, (text) => chunksOf(text), 512 * KiB, 7);
  });
});

describe('stop words are taken out linearly', () => {
  it.each([
    { name: 'stop words only', make: (n: number) => 'the a of '.repeat(n / 9) },
    { name: 'near misses', make: (n: number) => 'thee ofa tho '.repeat(n / 13) },
    { name: 'one-letter words', make: (n: number) => '# h\n'.repeat(n / 4) },
    { name: 'no break at all', make: (n: number) => 'the'.repeat(n / 3) },
    { name: 'marks between letters', make: (n: number) => 'the\u0301 '.repeat(n / 5) },
  ])('withoutStopWords: $name', (family) => {
    expectNearLinear(family, (text) => withoutStopWords(text), 512 * KiB, 7);
  });
});

describe('riskOf and signalTags grow linearly', () => {
  it.each(textFamilies)('riskOf: $name', (family) => {
    expectNearLinear({ name: family.name, make: (n: number) => [family.make(n / 2), family.make(n)] as const }, ([older, newer]) => riskOf({ oldText: older, newText: newer, tags: [], temporaryAccount: false, recentEdits: 1 }), 512 * KiB, 7);
  });

  it.each(textFamilies)('signalTags: $name', (family) => {
    expectNearLinear({ name: family.name, make: (n: number) => [family.make(n / 2), family.make(n)] as const }, ([older, newer]) => signalTags({ oldText: older, newText: newer, authorEdits: 1 }), 512 * KiB, 7);
  });
});

describe('default budgets hold at 1 MiB', () => {
  it.each(mergeFamilies)('merge3: $name', (family) => {
    const [b, m, t] = family.make(MiB);
    expectWithin(`merge3, ${family.name}`, 8000, () => merge3(b, m, t));
  });

  it.each([...diffFamilies, ...wordFamilies])('compareTexts: $name', (family) => {
    const [a, b] = family.make(MiB);
    expectWithin(`compareTexts, ${family.name}`, 8000, () => compareTexts(a, b, { context: 'all' }));
  });

  it.each(mergeFamilies)('inheritAuthors: $name', (family) => {
    const [b, m] = family.make(MiB);
    const parent = b.split('\n');
    expectWithin(`inheritAuthors, ${family.name}`, 8000, () => inheritAuthors(parent, parent.map(() => 1), m.split('\n'), 2));
  });

  it.each(textFamilies)('riskOf and signalTags: $name', (family) => {
    const older = family.make(MiB / 2);
    const newer = family.make(MiB);
    expectWithin(`riskOf + signalTags, ${family.name}`, 3000, () => {
      riskOf({ oldText: older, newText: newer, tags: [], temporaryAccount: false, recentEdits: 1 });
      signalTags({ oldText: older, newText: newer, authorEdits: 1 });
    });
  });
});
