import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteRateLimiter, type LimiterOptions } from '../../../server/http/middleware/rateLimit.js';
import { openDatabase, type Db } from '../../../server/db/connection.js';
import { migrate } from '../../../server/db/migrate.js';
import { RateLimitedError } from '../../../server/wiki/errors.js';

const opened: SqliteRateLimiter[] = [];
afterEach(() => opened.splice(0).forEach((l) => l.close()));

function fresh(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

/** A limiter over a fresh database and a clock the test moves. */
function limiter(o: Omit<LimiterOptions, 'now'> = {}) {
  let t = 10_000;
  const db = fresh();
  const l = new SqliteRateLimiter(db, { now: () => t, ...o });
  opened.push(l);
  return { l, db, tick: (ms: number) => (t += ms) };
}

function retryAfterOf(f: () => void): number | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof RateLimitedError) return e.retryAfter;
    throw e;
  }
}

describe('SqliteRateLimiter', () => {
  it('allows `limit` hits in the window, then refuses with the seconds until the oldest leaves it', () => {
    const { l, tick } = limiter();
    l.hit('k', 2, 60_000, 'slow');
    tick(20_000);
    l.hit('k', 2, 60_000, 'slow');
    expect(retryAfterOf(() => l.hit('k', 2, 60_000, 'slow'))).toBe(40);
    tick(40_001);
    // The window slides: the first hit has left it, the second is still in it.
    expect(retryAfterOf(() => l.hit('k', 2, 60_000, 'slow'))).toBeUndefined();
    expect(retryAfterOf(() => l.hit('k', 2, 60_000, 'slow'))).toBe(20);
  });

  it('does not count a refused hit', () => {
    const { l, tick } = limiter();
    l.hit('k', 1, 1000, 'x');
    for (let i = 0; i < 5; i++) expect(retryAfterOf(() => l.hit('k', 1, 1000, 'x'))).toBe(1);
    tick(1001);
    expect(retryAfterOf(() => l.hit('k', 1, 1000, 'x'))).toBeUndefined();
  });

  it('check refuses without counting; record counts without refusing', () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) l.check('k', 1, 1000, 'x');
    l.record('k', 1, 1000);
    l.record('k', 1, 1000);
    expect(retryAfterOf(() => l.check('k', 1, 1000, 'x'))).toBe(1);
  });

  it('carries the message it was given', () => {
    const { l } = limiter();
    l.hit('k', 1, 1000, 'Too many saves');
    expect(() => l.hit('k', 1, 1000, 'Too many saves')).toThrow('Too many saves');
  });

  it.each([{ name: 'hit' }, { name: 'check' }, { name: 'record' }])('treats a limit of 0 as no limit and stores nothing ($name)', ({ name }) => {
    const { l } = limiter();
    for (let i = 0; i < 50; i++) {
      if (name === 'hit') l.hit('k', 0, 1000, 'x');
      else if (name === 'check') l.check('k', 0, 1000, 'x');
      else l.record('k', 0, 1000);
    }
    expect(l.size).toBe(0);
  });

  it('keeps keys apart', () => {
    const { l } = limiter();
    l.hit('a', 1, 1000, 'x');
    expect(retryAfterOf(() => l.hit('b', 1, 1000, 'x'))).toBeUndefined();
    expect(retryAfterOf(() => l.hit('a', 1, 1000, 'x'))).toBe(1);
  });

  it('keeps a long key as a short hash, still counted as itself', () => {
    const { l, db } = limiter();
    const long = 'x'.repeat(1_000_000);
    l.hit(long, 1, 1000, 'x');
    expect(retryAfterOf(() => l.hit(long, 1, 1000, 'x'))).toBe(1);
    expect(retryAfterOf(() => l.hit(`${long}y`, 1, 1000, 'x'))).toBeUndefined();
    expect(db.prepare('SELECT max(length(key)) FROM rate_limit').pluck().get()).toBeLessThanOrEqual(120);
  });

  it('keeps no more event times per key than its limit', () => {
    const { l, db } = limiter();
    for (let i = 0; i < 50; i++) l.record('k', 3, 60_000);
    expect(JSON.parse(db.prepare("SELECT times FROM rate_limit WHERE key = 'k'").pluck().get() as string)).toHaveLength(3);
    expect(() => l.check('k', 3, 60_000, 'x')).toThrow(RateLimitedError);
    expect(() => l.check('k', 4, 60_000, 'x')).not.toThrow();
  });

  it('sweeps keys whose events all left their window', () => {
    const { l, tick } = limiter();
    l.hit('short', 1, 1000, 'x');
    l.hit('long', 1, 60_000, 'x');
    tick(1001);
    l.sweep();
    expect(l.size).toBe(1);
    expect(retryAfterOf(() => l.hit('long', 1, 60_000, 'x'))).toBe(59);
  });

  it('stays bounded under many distinct keys, dropping those that would expire soonest', () => {
    const { l, tick } = limiter({ maxKeys: 100, sweepEvery: 50 });
    for (let i = 0; i < 2_000; i++) {
      l.record(`login:a:10.0.${i}|name`, 10, 60_000);
      tick(1);
      // Between sweeps the table holds at most sweepEvery keys more than maxKeys.
      if (i % 97 === 0) expect(l.size).toBeLessThanOrEqual(150);
    }
    l.sweep();
    expect(l.size).toBe(100);
    expect(() => l.check('login:a:10.0.1999|name', 1, 60_000, 'x')).toThrow(RateLimitedError);
    expect(() => l.check('login:a:10.0.0|name', 1, 60_000, 'x')).not.toThrow();
  });

  it('sweeps on its own timer, and close() stops it', () => {
    vi.useFakeTimers();
    try {
      const db = fresh();
      const l = new SqliteRateLimiter(db, { sweepMs: 1_000, now: () => Date.now() });
      l.record('a', 5, 5_000);
      l.record('b', 5, 60_000);
      vi.advanceTimersByTime(6_000);
      expect(l.size).toBe(1);
      l.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops its timer when the database is closed under it', () => {
    vi.useFakeTimers();
    try {
      const db = fresh();
      const l = new SqliteRateLimiter(db, { sweepMs: 1_000 });
      db.close();
      vi.advanceTimersByTime(1_500);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
