/** Sliding-window rate limits answering 429 with Retry-After, counted in the database so they hold across worker processes. */
import type { Db } from '../../db/connection.js';
import { RateLimitStore } from '../../db/rateLimits.js';
import { RateLimitedError } from '../../wiki/errors.js';

/**
 * What limits.ts needs of a limiter: narrow, so the counting can change without touching the
 * rules. A limit of 0 means no limit everywhere.
 */
export interface RateLimiter {
  /** Count one event for `key`; @throws RateLimitedError when `limit` events already fell in the last `windowMs`. */
  hit(key: string, limit: number, windowMs: number, message: string): void;
  /** Refuse without counting (before an attempt whose failure is what counts). @throws RateLimitedError */
  check(key: string, limit: number, windowMs: number, message: string): void;
  /** Count one event without refusing (a failed login). */
  record(key: string, limit: number, windowMs: number): void;
  /** Stop the sweep timer. */
  close(): void;
}

export interface LimiterOptions {
  /** Keys kept at most (after a sweep); past it the keys that would expire soonest are forgotten. */
  maxKeys?: number;
  /** How often expired keys are swept (and the size bound enforced). */
  sweepMs?: number;
  /** Also sweep after this many counted events in this process, so a burst of new keys between timer ticks stays bounded. */
  sweepEvery?: number;
  now?: () => number;
}

/**
 * A RateLimiter over the rate_limit table of `db` (db/rateLimits.ts). Every worker process opens
 * its own connection to the one database file, so each sees the counts of all of them; each also
 * sweeps, which is harmless (a sweep deletes only what has expired or is over the bound).
 */
export class SqliteRateLimiter implements RateLimiter {
  private readonly store: RateLimitStore;
  private readonly maxKeys: number;
  private readonly sweepEvery: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private sinceSweep = 0;

  constructor(db: Db, options: LimiterOptions = {}) {
    this.store = new RateLimitStore(db);
    this.maxKeys = options.maxKeys ?? 100_000;
    this.sweepEvery = options.sweepEvery ?? 1_000;
    this.now = options.now ?? Date.now;
    // unref: an idle limiter never keeps a process (or a test run) alive.
    this.timer = setInterval(() => this.sweep(), options.sweepMs ?? 60_000).unref();
  }

  /** How many keys are kept, by every process (for tests and monitoring). */
  get size(): number {
    return this.store.count();
  }

  hit(key: string, limit: number, windowMs: number, message: string): void {
    const wait = this.store.take(key, limit, windowMs, this.now());
    if (wait !== undefined) throw new RateLimitedError(message, wait);
    if (limit > 0) this.counted();
  }

  check(key: string, limit: number, windowMs: number, message: string): void {
    const wait = this.store.wait(key, limit, windowMs, this.now());
    if (wait !== undefined) throw new RateLimitedError(message, wait);
  }

  record(key: string, limit: number, windowMs: number): void {
    this.store.record(key, limit, windowMs, this.now());
    if (limit > 0) this.counted();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Drop every key whose events have all left its window, and keep at most maxKeys. */
  sweep(): void {
    this.sinceSweep = 0;
    // The timer may outlive the connection (a test's database, or one closed at shutdown).
    if (!this.store.open) return this.close();
    this.store.sweep(this.now(), this.maxKeys);
  }

  private counted(): void {
    this.sinceSweep += 1;
    if (this.sinceSweep >= this.sweepEvery) this.sweep();
  }
}
