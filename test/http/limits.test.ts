import { describe, expect, it } from 'vitest';
import { FAILED_LOGINS_PER_ACCOUNT, FAILED_LOGINS_PER_IP, Limits } from '../../server/http/limits.js';
import { SqliteRateLimiter } from '../../server/http/middleware/rateLimit.js';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { RateLimitedError, WikiError } from '../../server/wiki/errors.js';
import type { Actor } from '../../server/wiki/types.js';

const actor = (o: Partial<Actor>): Actor => ({ id: 1, name: 'A', kind: 'user', role: 'user', tokenVersion: 0, editCount: 0, createdAt: '', ...o });

/** Limits over a clock the test moves, counted in a private database as the app counts them. */
function limits(saveLimit = 2, signupLimit = 2) {
  let t = 1_000_000;
  const db = openDatabase(':memory:');
  migrate(db);
  const l = new Limits({ saveLimit, signupLimit }, new SqliteRateLimiter(db, { now: () => t }));
  return { l, tick: (ms: number) => (t += ms) };
}

/** How many times `f` succeeds before it throws RateLimitedError (at most `max`). */
function allowed(f: () => void, max = 100): number {
  for (let i = 0; i < max; i++) {
    try {
      f();
    } catch (e) {
      if (e instanceof RateLimitedError) return i;
      throw e;
    }
  }
  return max;
}

describe('save limits', () => {
  it.each([
    { name: 'a new user', who: actor({ editCount: 3 }), want: 2 },
    { name: 'an established user (10+ edits) gets four times as many', who: actor({ editCount: 10 }), want: 8 },
    { name: 'a temporary account', who: actor({ kind: 'temp' }), want: 2 },
    { name: 'nobody yet', who: undefined, want: 2 },
  ])('$name', ({ who, want }) => {
    const { l } = limits(2);
    expect(allowed(() => l.save(who, '192.0.2.1'))).toBe(want);
  });

  it('counts nothing for an exempt save (an admin)', () => {
    const { l } = limits(1);
    expect(allowed(() => l.save(actor({ role: 'admin' }), '192.0.2.1', { exempt: true }))).toBe(100);
  });

  it('counts anonymous saves by address, so a new temporary account gains nothing', () => {
    const { l } = limits(2);
    l.save(actor({ id: 5, kind: 'temp' }), '192.0.2.1');
    l.save(undefined, '192.0.2.1');
    expect(() => l.save(actor({ id: 6, kind: 'temp' }), '192.0.2.1')).toThrow(RateLimitedError);
    // Another address is counted apart.
    expect(() => l.save(undefined, '192.0.2.2')).not.toThrow();
  });

  it('lets saves go again after a minute, saying how long to wait', () => {
    const { l, tick } = limits(1);
    l.save(actor({}), undefined);
    let thrown: unknown;
    try {
      l.save(actor({}), undefined);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RateLimitedError);
    expect((thrown as RateLimitedError).retryAfter).toBe(60);
    tick(60_001);
    expect(() => l.save(actor({}), undefined)).not.toThrow();
  });
});

describe('login and signup limits', () => {
  it('locks an account only from the address that guessed', () => {
    const { l } = limits();
    for (let i = 0; i < FAILED_LOGINS_PER_ACCOUNT; i++) l.loginFailed('Alice', '192.0.2.1');
    expect(() => l.beforeLogin('Alice', '192.0.2.1')).toThrow(RateLimitedError);
    expect(() => l.beforeLogin('Alice', '198.51.100.7')).not.toThrow();
    expect(() => l.beforeLogin('Bob', '192.0.2.1')).not.toThrow();
  });

  it('locks an address that failed with many accounts', () => {
    const { l } = limits();
    for (let i = 0; i < FAILED_LOGINS_PER_IP; i++) l.loginFailed(`User ${i}`, '192.0.2.9');
    expect(() => l.beforeLogin('Someone new', '192.0.2.9')).toThrow(RateLimitedError);
  });

  it('refuses a name too long to be anyone\'s before counting it', () => {
    const { l } = limits();
    let thrown: unknown;
    try {
      l.beforeLogin('x'.repeat(1000), '192.0.2.1');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WikiError);
    expect((thrown as WikiError).code).toBe('invalid_input');
  });

  it('allows signupLimit accounts an hour from one address', () => {
    const { l, tick } = limits(2, 2);
    expect(allowed(() => {
      l.beforeSignup('192.0.2.1');
      l.signedUp('192.0.2.1');
    })).toBe(2);
    tick(3_600_001);
    expect(() => l.beforeSignup('192.0.2.1')).not.toThrow();
  });
});
