import { describe, expect, it } from 'vitest';
import { LAST_EXPIRY, parseExpiry } from '../../server/wiki/expiry.js';
import { InvalidInputError } from '../../server/wiki/errors.js';

const now = new Date('2026-01-31T10:00:00.000Z');

describe('parseExpiry', () => {
  it.each([
    { name: 'nothing is infinite', input: undefined, out: null },
    { name: 'empty is infinite', input: '', out: null },
    { name: 'infinite', input: 'infinite', out: null },
    { name: 'Infinity, any case', input: ' Infinity ', out: null },
    { name: 'indefinite', input: 'indefinite', out: null },
    { name: 'never', input: 'never', out: null },
    { name: '3 days', input: '3 days', out: '2026-02-03T10:00:00.000Z' },
    { name: '2 weeks', input: '2 weeks', out: '2026-02-14T10:00:00.000Z' },
    { name: '1 day, singular', input: '1 day', out: '2026-02-01T10:00:00.000Z' },
    { name: '90 minutes, no space, capitals', input: '90Minutes', out: '2026-01-31T11:30:00.000Z' },
    { name: '1 year', input: '1 year', out: '2027-01-31T10:00:00.000Z' },
    { name: '1 month from Jan 31 ends with February', input: '1 month', out: '2026-02-28T10:00:00.000Z' },
    { name: '7973 years, the last whole year', input: '7973 years', out: '9999-01-31T10:00:00.000Z' },
    { name: 'the last instant', input: '9999-12-31T23:59:59Z', out: '9999-12-31T23:59:59.000Z' },
    { name: 'the last instant with milliseconds', input: '9999-12-31T23:59:59.999Z', out: LAST_EXPIRY },
    { name: 'a date alone is midnight UTC', input: '2027-01-31', out: '2027-01-31T00:00:00.000Z' },
    { name: 'no offset is UTC, not the server zone', input: '2027-01-31T12:00', out: '2027-01-31T12:00:00.000Z' },
    { name: 'a space for T', input: '2027-01-31 12:00:00', out: '2027-01-31T12:00:00.000Z' },
    { name: 'a positive offset', input: '2027-01-31T12:00:00+02:00', out: '2027-01-31T10:00:00.000Z' },
    { name: 'a negative offset, no colon', input: '2027-01-31T12:00:00-0530', out: '2027-01-31T17:30:00.000Z' },
    { name: 'an offset crossing into the next day', input: '2027-12-31T23:00:00-02:00', out: '2028-01-01T01:00:00.000Z' },
    { name: 'a leap day', input: '2028-02-29T00:00:00Z', out: '2028-02-29T00:00:00.000Z' },
    { name: 'lower-case t and z', input: '2027-01-31t12:00:00z', out: '2027-01-31T12:00:00.000Z' },
    { name: 'more fraction digits than milliseconds', input: '2027-01-31T12:00:00.123456Z', out: '2027-01-31T12:00:00.123Z' },
  ])('$name', ({ input, out }) => {
    expect(parseExpiry(input, now)).toBe(out);
  });

  it.each([
    { name: '9999 years', input: '9999 years', why: /after the year 9999/ },
    { name: '8000 years', input: '8000 years', why: /after the year 9999/ },
    { name: '7974 years', input: '7974 years', why: /after the year 9999/ },
    { name: 'a billion days', input: '999999999 days', why: /after the year 9999/ },
    { name: 'the year 10000', input: '10000-01-01T00:00:00Z', why: /after the year 9999/ },
    { name: 'the year +010000', input: '+010000-01-01T00:00:00Z', why: /after the year 9999/ },
    { name: 'the last instant of 9999 west of UTC', input: '9999-12-31T23:59:59-01:00', why: /after the year 9999/ },
    { name: '0 days', input: '0 days', why: /ends now/ },
    { name: 'a negative duration', input: '-3 days', why: /not understood/ },
    { name: 'a fraction', input: '1.5 days', why: /not understood/ },
    { name: 'a past time', input: '2001-01-01T00:00:00Z', why: /in the past/ },
    { name: 'now exactly', input: '2026-01-31T10:00:00Z', why: /in the past/ },
    { name: 'an offset that puts it in the past', input: '2026-01-31T11:00:00+02:00', why: /in the past/ },
    { name: 'a leap day in a common year', input: '2027-02-29', why: /not a real date/ },
    { name: 'February 30', input: '2027-02-30T00:00:00Z', why: /not a real date/ },
    { name: 'month 13', input: '2027-13-01', why: /not a real date/ },
    { name: 'hour 24', input: '2027-01-31T24:00:00Z', why: /not a real date/ },
    { name: 'second 60', input: '2027-01-31T12:00:60Z', why: /not a real date/ },
    { name: 'offset +25:00', input: '2027-01-31T12:00:00+25:00', why: /not a real date/ },
    { name: 'a two-digit year', input: '27-01-31', why: /not understood/ },
    { name: 'words', input: 'soonish', why: /not understood/ },
    { name: 'a bare number', input: '3', why: /not understood/ },
    { name: 'an unknown unit', input: '3 fortnites', why: /not understood/ },
    { name: 'a JavaScript date string', input: 'Sat Jan 31 2027', why: /not understood/ },
    { name: 'a number, not a string', input: 3, why: /expiry: write "infinite"/ },
  ])('refuses $name, saying what to write', ({ input, why }) => {
    expect(() => parseExpiry(input, now)).toThrow(InvalidInputError);
    expect(() => parseExpiry(input, now)).toThrow(why);
    expect(() => parseExpiry(input, now)).toThrow(/expiry/);
  });

  it('keeps a year from a leap day within February', () => {
    expect(parseExpiry('1 year', new Date('2028-02-29T08:00:00Z'))).toBe('2029-02-28T08:00:00.000Z');
    expect(parseExpiry('4 years', new Date('2028-02-29T08:00:00Z'))).toBe('2032-02-29T08:00:00.000Z');
  });

  it('stores a form that sorts as text in time order', () => {
    const stored = ['1 day', '2028-02-29', '7973 years', '9999-12-31T23:59:59Z'].map((e) => parseExpiry(e, now)!);
    expect(stored.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s))).toBe(true);
    expect([...stored].sort()).toEqual(stored);
    expect(stored.every((s) => s > now.toISOString())).toBe(true);
  });

  it('cuts a long input in its message', () => {
    expect(() => parseExpiry('x'.repeat(100_000), now)).toThrow(/^expiry: "x{40}…" is not understood/);
  });
});
