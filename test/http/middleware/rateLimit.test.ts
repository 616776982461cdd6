import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../../server/http/middleware/rateLimit.js';
import { RateLimitedError } from '../../../server/wiki/errors.js';

function limiter(o: { maxKeys?: number } = {}) {
  let t = 10_000;
  const l = new MemoryRateLimiter({ now: () => t, maxKeys: o.maxKeys });
  return { l, tick: (ms: number) => (t += ms) };
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

describe('MemoryRateLimiter', () => {
  it('allows `limit` hits in the window, then refuses with the seconds until the oldest leaves it', () => {
    const { l, tick } = limiter();
    l.hit('k', 2, 60_000, 'slow');
    tick(20_000);
    l.hit('k', 2, 60_000, 'slow');
    expect(retryAfterOf(() => l.hit('k', 2, 60_000, 'slow'))).toBe(40);
    tick(40_001);
    expect(retryAfterOf(() => l.hit('k', 2, 60_000, 'slow'))).toBeUndefined();
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

  it.each([{ name: 'hit' }, { name: 'check' }])('treats a limit of 0 as no limit ($name)', ({ name }) => {
    const { l } = limiter();
    for (let i = 0; i < 50; i++) {
      if (name === 'hit') l.hit('k', 0, 1000, 'x');
      else l.check('k', 0, 1000, 'x');
    }
    expect(l.size).toBe(0);
    l.close();
  });

  it('keeps keys apart, and forgets the least recently counted past maxKeys', () => {
    const { l } = limiter({ maxKeys: 2 });
    l.hit('a', 1, 1000, 'x');
    l.hit('b', 1, 1000, 'x');
    l.hit('c', 1, 1000, 'x');
    expect(l.size).toBe(2);
    expect(retryAfterOf(() => l.hit('a', 1, 1000, 'x'))).toBeUndefined();
    expect(retryAfterOf(() => l.hit('c', 1, 1000, 'x'))).toBe(1);
  });

  it('keeps a long key as a hash, still counted as itself', () => {
    const { l } = limiter();
    const long = 'x'.repeat(10_000);
    l.hit(long, 1, 1000, 'x');
    expect(retryAfterOf(() => l.hit(long, 1, 1000, 'x'))).toBe(1);
    expect(retryAfterOf(() => l.hit(`${long}y`, 1, 1000, 'x'))).toBeUndefined();
  });

  it('sweeps keys whose events all left their window', () => {
    const { l, tick } = limiter();
    l.hit('short', 1, 1000, 'x');
    l.hit('long', 1, 60_000, 'x');
    tick(1001);
    l.sweep();
    expect(l.size).toBe(1);
    l.close();
    expect(l.size).toBe(0);
  });
});
