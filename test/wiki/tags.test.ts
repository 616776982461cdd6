import { describe, expect, it } from 'vitest';
import { authorTags, externalLinkCount, signalTags, textTags } from '../../server/wiki/tags.js';
import { riskOf } from '../../server/wiki/risk.js';

const long = 'Peer networks get big things done outside governments and markets. '.repeat(4);

describe('signalTags', () => {
  it.each([
    { name: 'new page', old: null, next: long, edits: 50, want: ['new'] },
    { name: 'blanking: under 10% left', old: long, next: long.slice(0, 20), edits: 50, want: ['blanking', 'large-removal'] },
    { name: 'blanking: under 50 bytes left', old: 'x'.repeat(60), next: 'x'.repeat(40), edits: 50, want: ['blanking'] },
    { name: 'no blanking when growing from small', old: 'tiny', next: 'tiny text', edits: 50, want: [] },
    { name: 'large removal: over half removed', old: long, next: long.slice(0, long.length / 2 - 5), edits: 50, want: ['large-removal'] },
    { name: 'half removed is not over half', old: 'a'.repeat(200), next: 'a'.repeat(100), edits: 50, want: [] },
    { name: 'external links: 3 added', old: long, next: long + ' https://a.example http://b.example https://c.example/x', edits: 50, want: ['external-links'] },
    { name: 'external links: 2 added', old: long, next: long + ' https://a.example http://b.example', edits: 50, want: [] },
    { name: 'new user: 9 edits', old: long, next: long + '!', edits: 9, want: ['new-user'] },
    { name: 'not new: 10 edits', old: long, next: long + '!', edits: 10, want: [] },
  ])('$name', ({ old, next, edits, want }) => {
    expect(signalTags({ oldText: old, newText: next, authorEdits: edits }).sort()).toEqual(want.sort());
  });
});

describe('riskOf', () => {
  const base = { oldText: long, newText: long + ' More.', tags: [] as string[], temporaryAccount: false, recentEdits: 1 };

  it.each([
    { name: 'a plain edit', facts: {}, score: 0, reasons: [] },
    { name: 'blanking', facts: { tags: ['blanking', 'large-removal'] }, score: 45, reasons: ['blanks the page'] },
    { name: 'temporary account', facts: { temporaryAccount: true }, score: 15, reasons: ['by a temporary account'] },
    { name: 'removed reference', facts: { oldText: long + ' Fact.[^1]\n\n[^1]: Source.', newText: long + ' Fact.\n\n[^1]: Source.' }, score: 20, reasons: ['removes 1 reference'] },
    { name: 'repeated characters', facts: { newText: long + '\nlooooooooooooool' }, score: 20, reasons: ['repeats a character many times'] },
    { name: 'shouting', facts: { newText: long + '\nTHIS PAGE IS WRONG AND STUPID' }, score: 20, reasons: ['mostly capital letters'] },
    { name: 'burst', facts: { recentEdits: 6 }, score: 15, reasons: ['6 edits in ten minutes'] },
    { name: 'capped at 100', facts: { tags: ['blanking', 'external-links', 'new-user'], temporaryAccount: true, recentEdits: 9, newText: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, score: 100 },
  ])('$name', ({ facts, score, reasons }) => {
    const r = riskOf({ ...base, ...facts });
    expect(r.score).toBe(score);
    if (reasons) expect(r.reasons).toEqual(reasons);
  });
});

describe('textTags and authorTags', () => {
  it('are signalTags split in two: what the texts say (before the transaction) and what the author does', () => {
    const facts = { oldText: long, newText: 'x', authorEdits: 3 };
    expect(textTags(facts)).toEqual(['blanking', 'large-removal']);
    expect(authorTags(3)).toEqual(['new-user']);
    expect(authorTags(10)).toEqual([]);
    expect(signalTags(facts).sort()).toEqual([...textTags(facts), ...authorTags(3)].sort());
  });

  it.each([
    { name: 'http:// repeated without an end', text: 'http://'.repeat(150_000), want: 1 },
    { name: 'links back to back', text: 'https://a.example/x '.repeat(50_000), want: 50_000 },
    { name: 'schemes glued together', text: 'https://http://https://'.repeat(40_000), want: 1 },
  ])('counts external links in one pass: $name', ({ text, want }) => {
    const started = performance.now();
    expect(externalLinkCount(text)).toBe(want);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
