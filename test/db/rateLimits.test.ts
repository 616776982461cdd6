import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { RateLimitStore, storedKey } from '../../server/db/rateLimits.js';
import { SqliteRateLimiter } from '../../server/http/middleware/rateLimit.js';
import { RateLimitedError } from '../../server/wiki/errors.js';

const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).reverse().forEach((f) => f()));

/** Two connections to one database file, as two worker processes have. */
function twoConnections(): [Db, Db] {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-limits-'));
  const file = join(dir, 'wiki.db');
  const a = openDatabase(file);
  migrate(a);
  const b = openDatabase(file);
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => closeDatabase(a), () => closeDatabase(b));
  return [a, b];
}

describe('RateLimitStore', () => {
  it('answers the wait in seconds, or undefined, and counts nothing when it refuses', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const s = new RateLimitStore(db);
    expect(s.take('k', 2, 10_000, 1_000)).toBeUndefined();
    expect(s.take('k', 2, 10_000, 2_000)).toBeUndefined();
    expect(s.take('k', 2, 10_000, 2_500)).toBe(9);
    expect(s.wait('k', 2, 10_000, 10_999)).toBe(1);
    expect(s.wait('k', 2, 10_000, 11_000)).toBeUndefined();
    expect(s.take('k', 2, 10_000, 11_000)).toBeUndefined();
    expect(s.take('k', 2, 10_000, 11_000)).toBe(1);
  });

  it('stores short keys as they are and long ones as a hash', () => {
    expect(storedKey('save:ip:192.0.2.1')).toBe('save:ip:192.0.2.1');
    expect(storedKey('k'.repeat(121))).toMatch(/^#[\w-]{43}$/);
    expect(storedKey('k'.repeat(121))).not.toBe(storedKey('k'.repeat(122)));
  });
});

describe('limits shared by processes', () => {
  it('counts one limit over two connections to one file', () => {
    const [a, b] = twoConnections();
    const one = new SqliteRateLimiter(a);
    const two = new SqliteRateLimiter(b);
    cleanup.push(() => one.close(), () => two.close());
    one.hit('save:ip:192.0.2.1', 3, 60_000, 'x');
    two.hit('save:ip:192.0.2.1', 3, 60_000, 'x');
    one.hit('save:ip:192.0.2.1', 3, 60_000, 'x');
    expect(() => two.hit('save:ip:192.0.2.1', 3, 60_000, 'x')).toThrow(RateLimitedError);
    expect(() => one.hit('save:ip:192.0.2.1', 3, 60_000, 'x')).toThrow(RateLimitedError);
    two.record('login:ip:192.0.2.9', 1, 60_000);
    expect(() => one.check('login:ip:192.0.2.9', 1, 60_000, 'x')).toThrow(RateLimitedError);
    expect(one.size).toBe(2);
  });

  it('lets only one of two connections take the last free slot', () => {
    const [a, b] = twoConnections();
    const one = new RateLimitStore(a);
    const two = new RateLimitStore(b);
    // Each take reads and writes in one IMMEDIATE transaction, so the second sees the first's commit.
    expect(one.take('k', 1, 60_000, 1_000)).toBeUndefined();
    expect(two.take('k', 1, 60_000, 1_001)).toBe(60);
  });
});
