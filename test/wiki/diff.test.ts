/** compareTexts and applyEditScript: SPEC section 5's compare model as an exact, bounded edit script. */
import { describe, it, expect } from 'vitest';
import { applyEditScript, compareTexts, DIFF_VERSION } from '../../server/wiki/diff.js';
import type { Comparison, CompareOptions, DiffEntry } from '../../server/wiki/diff.js';
import { prng } from '../helpers/random.js';

// ---- helpers ----

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const edits = (c: Comparison): DiffEntry[] => c.entries.filter((e) => e.type !== 'context');
const ofType = (c: Comparison, type: DiffEntry['type']): DiffEntry[] => c.entries.filter((e) => e.type === type);
const lines = (...xs: string[]): string => xs.join('\n');

/** Everything a comparison promises, whatever the texts: exact, ordered, consistent. */
function expectSound(oldText: string | null, newText: string | null, c: Comparison): void {
  expect(applyEditScript(oldText ?? '', c.entries)).toBe(newText ?? '');
  for (const key of ['from_line', 'to_line'] as const) {
    const seen = c.entries.map((e) => e[key]).filter((n): n is number => n !== undefined);
    expect(seen.every((n, k) => k === 0 || n > seen[k - 1]!), `${key} in reading order`).toBe(true);
  }
  for (const e of c.entries) {
    expect(e.from_line === undefined, `from_line absent exactly on add (${e.type})`).toBe(e.type === 'add');
    expect(e.to_line === undefined, `to_line absent exactly on delete (${e.type})`).toBe(e.type === 'delete');
    expect(e.highlight_ranges !== undefined).toBe(e.type === 'change');
    if (e.move_id !== undefined) expect(['add', 'delete']).toContain(e.type);
    if (e.type === 'change') expectHighlightsConsistent(e);
    if (e.type === 'change') expect(e.old_text, 'a change is not a line paired with itself').not.toBe(e.text);
  }
  const moveIds = new Set(c.entries.flatMap((e) => (e.move_id ? [e.move_id] : [])));
  for (const id of moveIds) {
    expect(c.entries.some((e) => e.move_id === id && e.type === 'delete'), `${id} has deletes`).toBe(true);
    expect(c.entries.some((e) => e.move_id === id && e.type === 'add'), `${id} has adds`).toBe(true);
  }
  expect(c.stats).toEqual({
    added: ofType(c, 'add').length, deleted: ofType(c, 'delete').length, changed: ofType(c, 'change').length, moved: moveIds.size,
  });
  expect(c.note !== undefined).toBe(c.coarse);
}

/** Outside the highlighted words, the old and the new line are the same text. */
function expectHighlightsConsistent(e: DiffEntry): void {
  const strip = (text: string, type: 'add' | 'delete'): string => {
    let out = '';
    let at = 0;
    for (const r of e.highlight_ranges!.filter((x) => x.type === type)) {
      expect(r.start).toBeGreaterThanOrEqual(at);
      expect(r.length).toBeGreaterThan(0);
      out += text.slice(at, r.start);
      at = r.start + r.length;
    }
    expect(at).toBeLessThanOrEqual(text.length);
    return out + text.slice(at);
  };
  expect(strip(e.old_text!, 'delete')).toBe(strip(e.text, 'add'));
}

/** With context 'all', every old line and every new line appears exactly once. */
function expectEveryLineOnce(oldText: string, newText: string, c: Comparison): void {
  const count = (text: string): number[] => text.split('\n').map((_, k) => k + 1);
  const from = c.entries.flatMap((e) => (e.from_line === undefined ? [] : [e.from_line]));
  const to = c.entries.flatMap((e) => (e.to_line === undefined ? [] : [e.to_line]));
  expect(from).toEqual(count(oldText));
  expect(to).toEqual(count(newText));
}

// ---- named cases ----

interface Case {
  name: string;
  old: string | null;
  new: string | null;
  options?: CompareOptions;
  check: (c: Comparison) => void;
}

const tenLines = Array.from({ length: 10 }, (_, k) => `line ${k + 1} of the page`);
const tenChanged = tenLines.map((l, k) => (k === 4 ? 'line 5 of the edited page' : l));
const alpha = ['Alpha paragraph line one about peers.', 'Alpha paragraph line two about peers.'];
const beta = 'Beta paragraph stays where it is.';
const gamma = 'Gamma paragraph also stays here.';

/** ~`bytes` of 60-character lines of random words; different seeds give unrelated texts. */
function wordyText(seed: number, bytes: number, blankEvery = 0): string {
  const random = prng(seed);
  const words = ['peer', 'network', 'wiki', 'revision', 'torrent', 'swarm', 'tracker', 'gossip', 'node', 'mesh', 'relay', 'hash'];
  const out: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = '';
    while (line.length < 60) line += `${pick(random, words)}${Math.floor(random() * 1000)} `;
    if (blankEvery > 0 && out.length % blankEvery === blankEvery - 1) line = '';
    out.push(line.trimEnd());
    size += line.length + 1;
  }
  return out.join('\n');
}

/** `count` lines drawn from five, so no line is unique to anchor on. */
function repeatedLines(seed: number, count: number): string {
  const random = prng(seed);
  const pool = ['', '* a list item that repeats', 'a fairly ordinary repeated line', '| table | row |', 'a fairly ordinary line, repeated'];
  return Array.from({ length: count }, () => pick(random, pool)).join('\n');
}

/** A text with many scattered one-line edits of another: similar, but past a tiny budget. */
function scatterEdits(text: string, seed: number, count: number): string {
  const random = prng(seed);
  const out = text.split('\n');
  for (let k = 0; k < count; k++) out[Math.floor(random() * out.length)] = `edited line ${k}`;
  return out.join('\n');
}

const cases: Case[] = [
  {
    name: 'identical texts: no entries at all',
    old: lines('a', 'b', 'c'), new: lines('a', 'b', 'c'),
    check: (c) => {
      expect(c.entries).toEqual([]);
      expect(c.coarse).toBe(false);
      expect(c.stats).toEqual({ added: 0, deleted: 0, changed: 0, moved: 0 });
    },
  },
  {
    name: "identical texts with context 'all': only context entries",
    old: lines('a', 'b'), new: lines('a', 'b'), options: { context: 'all' },
    check: (c) => {
      expect(edits(c)).toEqual([]);
      expect(c.entries).toEqual([
        { type: 'context', text: 'a', from_line: 1, to_line: 1 },
        { type: 'context', text: 'b', from_line: 2, to_line: 2 },
      ]);
    },
  },
  {
    name: 'empty vs text: the one empty line goes, the new lines come',
    old: '', new: lines('Hello', 'world'),
    check: (c) => expect(c.entries).toEqual([
      { type: 'delete', text: '', from_line: 1 },
      { type: 'add', text: 'Hello', to_line: 1 },
      { type: 'add', text: 'world', to_line: 2 },
    ]),
  },
  {
    name: 'text vs empty',
    old: lines('Hello', 'world'), new: '',
    check: (c) => expect(c.entries).toEqual([
      { type: 'delete', text: 'Hello', from_line: 1 },
      { type: 'delete', text: 'world', from_line: 2 },
      { type: 'add', text: '', to_line: 1 },
    ]),
  },
  {
    name: 'null old text means empty',
    old: null, new: 'x',
    check: (c) => expect(c.entries).toEqual([
      { type: 'delete', text: '', from_line: 1 },
      { type: 'add', text: 'x', to_line: 1 },
    ]),
  },
  {
    name: 'null new text means empty',
    old: 'x', new: null,
    check: (c) => expect(c.entries).toEqual([
      { type: 'delete', text: 'x', from_line: 1 },
      { type: 'add', text: '', to_line: 1 },
    ]),
  },
  {
    name: 'null vs empty text: nothing changed',
    old: null, new: '',
    check: (c) => expect(c.entries).toEqual([]),
  },
  {
    name: 'trailing newline added: one empty line added at the end',
    old: lines('a', 'b'), new: 'a\nb\n',
    check: (c) => expect(c.entries).toEqual([
      { type: 'context', text: 'a', from_line: 1, to_line: 1 },
      { type: 'context', text: 'b', from_line: 2, to_line: 2 },
      { type: 'add', text: '', to_line: 3 },
    ]),
  },
  {
    name: 'trailing newline removed: the last empty line deleted',
    old: 'a\nb\n', new: lines('a', 'b'),
    check: (c) => expect(edits(c)).toEqual([{ type: 'delete', text: '', from_line: 3 }]),
  },
  {
    name: 'one word changed after an emoji: change with UTF-16 highlight offsets',
    old: lines('intro', 'I 😀 like red apples', 'outro'), new: lines('intro', 'I 😀 like green apples', 'outro'),
    check: (c) => {
      // 'I ' (2) + '😀' (2 UTF-16 units, 1 code point) + ' like ' (6) = 10
      expect(edits(c)).toEqual([{
        type: 'change', text: 'I 😀 like green apples', old_text: 'I 😀 like red apples', from_line: 2, to_line: 2,
        highlight_ranges: [
          { start: 10, length: 3, type: 'delete' },
          { start: 10, length: 5, type: 'add' },
        ],
      }]);
      expect('I 😀 like red apples'.slice(10, 13)).toBe('red');
      expect('I 😀 like green apples'.slice(10, 15)).toBe('green');
    },
  },
  {
    name: 'lines added in the middle',
    old: lines('a', 'b', 'c', 'd'), new: lines('a', 'b', 'X', 'Y', 'c', 'd'),
    check: (c) => expect(edits(c)).toEqual([
      { type: 'add', text: 'X', to_line: 3 },
      { type: 'add', text: 'Y', to_line: 4 },
    ]),
  },
  {
    name: 'lines deleted',
    old: lines('a', 'b', 'X', 'Y', 'c', 'd'), new: lines('a', 'b', 'c', 'd'),
    check: (c) => expect(edits(c)).toEqual([
      { type: 'delete', text: 'X', from_line: 3 },
      { type: 'delete', text: 'Y', from_line: 4 },
    ]),
  },
  {
    name: 'unrelated lines are a delete and an add, not a change',
    old: lines('a', 'the cat sat on the mat', 'b'), new: lines('a', 'completely different words here', 'b'),
    check: (c) => expect(edits(c).map((e) => e.type)).toEqual(['delete', 'add']),
  },
  {
    name: 'a moved paragraph: deletes and adds share a move_id, no change',
    old: lines(...alpha, '', beta, '', gamma), new: lines(beta, '', gamma, '', ...alpha),
    check: (c) => {
      expect(ofType(c, 'change')).toEqual([]);
      expect(ofType(c, 'delete').filter((e) => e.move_id === 'm1').map((e) => e.text)).toEqual(alpha);
      expect(ofType(c, 'add').filter((e) => e.move_id === 'm1').map((e) => e.text)).toEqual(alpha);
      expect(c.stats.moved).toBe(1);
    },
  },
  {
    name: 'a moved paragraph re-wrapped is still a move (white space normalised)',
    old: lines(...alpha, '', beta, '', gamma), new: lines(beta, '', gamma, '', alpha.join('  ')),
    check: (c) => {
      expect(ofType(c, 'delete').filter((e) => e.move_id === 'm1')).toHaveLength(2);
      expect(ofType(c, 'add').filter((e) => e.move_id === 'm1')).toHaveLength(1);
    },
  },
  {
    name: 'a moved paragraph is not paired as a change with a similar new line in its old place',
    old: lines(...alpha, '', beta, '', gamma),
    new: lines('Alpha paragraph line one about peers, rewritten.', '', beta, '', gamma, '', ...alpha),
    check: (c) => {
      expect(ofType(c, 'change')).toEqual([]);
      expect(ofType(c, 'delete').filter((e) => e.move_id).map((e) => e.from_line)).toEqual([1, 2]);
      expect(ofType(c, 'add').filter((e) => e.move_id).map((e) => e.to_line)).toEqual([7, 8]);
    },
  },
  {
    name: 'a short line moved is trivial, not a move',
    old: lines('short', 'x', 'y', 'z'), new: lines('x', 'y', 'z', 'short'),
    check: (c) => expect(c.entries.some((e) => e.move_id)).toBe(false),
  },
  {
    name: 'context 3 (default): three unchanged lines each side',
    old: lines(...tenLines), new: lines(...tenChanged),
    check: (c) => {
      expect(ofType(c, 'context').map((e) => e.from_line)).toEqual([2, 3, 4, 6, 7, 8]);
      expect(ofType(c, 'change').map((e) => [e.from_line, e.to_line])).toEqual([[5, 5]]);
    },
  },
  {
    name: "context 'all': every unchanged line",
    old: lines(...tenLines), new: lines(...tenChanged), options: { context: 'all' },
    check: (c) => expect(ofType(c, 'context').map((e) => e.from_line)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]),
  },
  {
    name: 'context 0: only the change',
    old: lines(...tenLines), new: lines(...tenChanged), options: { context: 0 },
    check: (c) => expect(c.entries.map((e) => e.type)).toEqual(['change']),
  },
  {
    name: 'coarse fallback: two large unrelated texts past a tiny maxEditLength',
    old: wordyText(1, 200_000), new: wordyText(2, 200_000), options: { maxEditLength: 10 },
    check: (c) => {
      expect(c.coarse).toBe(true);
      expect(c.note).toMatch(/whole blocks/);
    },
  },
  {
    name: 'coarse fallback: scattered edits past a tiny maxEditLength still anchor on unique lines',
    old: wordyText(3, 100_000, 7), new: scatterEdits(wordyText(3, 100_000, 7), 4, 200), options: { maxEditLength: 10 },
    check: (c) => {
      expect(c.coarse).toBe(true);
      expect(ofType(c, 'change').length + ofType(c, 'delete').length).toBeLessThanOrEqual(200);
    },
  },
  {
    name: 'coarse fallback: repeated lines with no unique anchor are kept, not changed to themselves',
    old: repeatedLines(7, 3000), new: repeatedLines(8, 3000), options: { maxEditLength: 10 },
    check: (c) => {
      expect(c.coarse).toBe(true);
      expect(ofType(c, 'context').length).toBeGreaterThan(0);
    },
  },
  {
    name: 'lines named like Object.prototype members are lines like any other',
    old: lines('__proto__', 'constructor', 'toString', 'valueOf'), new: lines('constructor', '__proto__', 'toString', 'hasOwnProperty'),
    check: (c) => expect(edits(c).map((e) => e.text)).toEqual(['__proto__', '__proto__', 'valueOf', 'hasOwnProperty']),
  },
  {
    name: 'many copies of one paragraph moved past the budget: each copy is one move, first with first',
    old: lines(...Array.from({ length: 300 }, () => [...alpha, '']).flat(), beta), new: lines(beta, '', ...Array.from({ length: 300 }, () => [...alpha, '']).flat()),
    options: { maxEditLength: 5, context: 0 },
    check: (c) => expect(c.stats.moved).toBeLessThanOrEqual(300),
  },
  {
    name: 'coarse fallback: a zero timeout',
    old: wordyText(5, 20_000), new: scatterEdits(wordyText(5, 20_000), 6, 50), options: { timeoutMs: 0 },
    check: (c) => expect(c.coarse).toBe(true),
  },
];

describe('compareTexts', () => {
  it.each(cases)('$name', ({ old, new: newText, options, check }) => {
    const c = compareTexts(old, newText, options);
    expectSound(old, newText, c);
    check(c);
  });

  it('throws when both texts are null', () => {
    expect(() => compareTexts(null, null)).toThrow(TypeError);
  });

  it.each([
    { name: 'negative context', options: { context: -1 } },
    { name: 'fractional context', options: { context: 1.5 } },
    { name: 'negative timeout', options: { timeoutMs: -1 } },
    { name: 'NaN maxEditLength', options: { maxEditLength: Number.NaN } },
  ])('rejects $name', ({ options }) => {
    expect(() => compareTexts('a', 'b', options)).toThrow(RangeError);
  });

  it('exports a numeric DIFF_VERSION for cache keys', () => {
    expect(Number.isInteger(DIFF_VERSION)).toBe(true);
  });
});

describe('applyEditScript', () => {
  it.each([
    { name: 'from_line out of range', entries: [{ type: 'delete', text: 'x', from_line: 3 }] },
    { name: 'a line removed twice', entries: [{ type: 'delete', text: 'a', from_line: 1 }, { type: 'delete', text: 'a', from_line: 1 }] },
    { name: 'a delete naming the wrong text', entries: [{ type: 'delete', text: 'nope', from_line: 1 }] },
    { name: 'a change naming the wrong old text', entries: [{ type: 'change', text: 'c', old_text: 'nope', from_line: 1, to_line: 1 }] },
    { name: 'a context line that is not the old line', entries: [{ type: 'context', text: 'nope', from_line: 1, to_line: 1 }] },
    { name: 'a context line landing elsewhere', entries: [{ type: 'add', text: 'n', to_line: 1 }, { type: 'context', text: 'a', from_line: 1, to_line: 1 }] },
    { name: 'to_line past the end', entries: [{ type: 'add', text: 'n', to_line: 9 }] },
    { name: 'an add without to_line', entries: [{ type: 'add', text: 'n' }] },
    { name: 'no lines left', entries: [{ type: 'delete', text: 'a', from_line: 1 }, { type: 'delete', text: 'b', from_line: 2 }] },
  ] satisfies Array<{ name: string; entries: DiffEntry[] }>)('rejects $name', ({ entries }) => {
    expect(() => applyEditScript('a\nb', entries)).toThrow(/invalid edit script/);
  });

  it('does not depend on entry order', () => {
    const entries: DiffEntry[] = [
      { type: 'add', text: 'z', to_line: 3 },
      { type: 'change', text: 'B', old_text: 'b', from_line: 2, to_line: 2 },
      { type: 'delete', text: 'a', from_line: 1 },
      { type: 'add', text: 'y', to_line: 1 },
    ];
    expect(applyEditScript('a\nb\nc', entries)).toBe('y\nB\nz\nc');
  });
});

// ---- property: any pair of texts ----

const LINE_POOL = [
  '', '', ' ', 'a', 'b', '}', 'the quick brown fox jumps', 'the quick brown dog jumps', 'lorem ipsum dolor sit amet',
  'lorem ipsum dolor sit amet, consectetur', 'peer to peer networks share files', 'peer to peer networks share blocks',
  '😀 emoji line with 𝒜 astral', '# Heading', '* item one', '* item two', 'trailing space ',
];
const WORD_POOL = ['peer', 'node', 'wiki', 'the', 'a', '😀', 'é', 'link', '', ' ', 'swarm'];

function randomLine(random: () => number): string {
  if (random() < 0.7) return pick(random, LINE_POOL);
  return Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(random, WORD_POOL)).join(' ');
}

function randomLines(random: () => number): string[] {
  return Array.from({ length: Math.floor(random() * 12) }, () => randomLine(random));
}

/** Insert, delete, replace, duplicate, or move a block: edits that overlap and repeat lines. */
function mutate(random: () => number, input: string[]): string[] {
  const out = input.slice();
  for (let n = Math.floor(random() * 5); n > 0; n--) {
    const at = Math.floor(random() * (out.length + 1));
    const op = Math.floor(random() * 5);
    if (op === 0) out.splice(at, 0, randomLine(random));
    else if (op === 1) out.splice(at, 1);
    else if (op === 2) out.splice(at, 1, randomLine(random));
    else if (op === 3 && out.length > 0) out.splice(at, 0, out[Math.floor(random() * out.length)]!);
    else {
      const block = out.splice(at, 1 + Math.floor(random() * 4));
      out.splice(Math.floor(random() * (out.length + 1)), 0, ...block);
    }
  }
  return out;
}

function randomPair(seed: number): [string, string] {
  const random = prng(seed);
  const older = randomLines(random);
  const newer = random() < 0.15 ? randomLines(random) : mutate(random, older);
  const end = (): string => (random() < 0.3 ? '\n' : '');
  return [older.join('\n') + end(), newer.join('\n') + end()];
}

describe('compareTexts on random pairs', () => {
  const seeds = Array.from({ length: 600 }, (_, k) => k + 1);

  it.each([
    { name: 'default context', options: {} },
    { name: 'context 0', options: { context: 0 } },
    { name: "context 'all'", options: { context: 'all' } },
    { name: "context 'all' past a tiny budget (coarse paths)", options: { context: 'all', maxEditLength: 1 } },
  ] satisfies Array<{ name: string; options: CompareOptions }>)('$name: applies exactly for 600 pairs', ({ options }) => {
    for (const seed of seeds) {
      const [older, newer] = randomPair(seed);
      const c = compareTexts(older, newer, options);
      expect(applyEditScript(older, c.entries), `seed ${seed}`).toBe(newer);
      expectSound(older, newer, c);
      if (options.context === 'all') expectEveryLineOnce(older, newer, c);
      expect(c.note ?? '', `seed ${seed}: self-check`).not.toMatch(/self-check/);
    }
  });
});

// ---- boundedness: unrelated 1 MiB texts ----

describe('compareTexts on two unrelated 1 MiB texts', () => {
  it.each([
    { name: 'no blank lines', blankEvery: 0 },
    { name: 'a blank line every 6 lines', blankEvery: 6 },
  ])('$name: returns an exact edit script', ({ blankEvery }) => {
    const older = wordyText(11, 1 << 20, blankEvery);
    const newer = wordyText(12, 1 << 20, blankEvery);
    const started = performance.now();
    const c = compareTexts(older, newer);
    const ms = performance.now() - started;
    console.info(`compareTexts, unrelated 1 MiB (${blankEvery ? 'blank every 6' : 'no blanks'}): ${ms.toFixed(0)} ms, `
      + `${c.entries.length} entries, coarse=${c.coarse}`);
    expect(applyEditScript(older, c.entries)).toBe(newer);
  });
});
