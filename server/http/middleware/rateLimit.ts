/** Sliding-window rate limits answering 429 with Retry-After; in memory, per process, bounded in size. */
import { createHash } from 'node:crypto';
import { RateLimitedError } from '../../wiki/errors.js';

/**
 * What limits.ts needs of a limiter: narrow, so a store shared by worker processes can replace
 * the in-memory one. A limit of 0 means no limit everywhere.
 */
export interface RateLimiter {
  /** Count one event for `key`; @throws RateLimitedError when `limit` events already fell in the last `windowMs`. */
  hit(key: string, limit: number, windowMs: number, message: string): void;
  /** Refuse without counting (before an attempt whose failure is what counts). @throws RateLimitedError */
  check(key: string, limit: number, windowMs: number, message: string): void;
  /** Count one event without refusing (a failed login). */
  record(key: string, limit: number, windowMs: number): void;
  /** Stop the sweep timer and forget everything. */
  close(): void;
}

export interface MemoryLimiterOptions {
  /** Keys kept at most; past it the least recently counted key is forgotten. */
  maxKeys?: number;
  /** How often idle keys are dropped. */
  sweepMs?: number;
  now?: () => number;
}

interface Entry {
  windowMs: number;
  /** Times of the latest events, oldest first; never more than the limit they are counted against. */
  times: number[];
}

/** Keys longer than this are kept as a hash, so a caller's long input never costs memory. */
const MAX_KEY = 120;

export class MemoryRateLimiter implements RateLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(options: MemoryLimiterOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
    // unref: an idle limiter never keeps a process (or a test run) alive.
    this.timer = setInterval(() => this.sweep(), options.sweepMs ?? 60_000).unref();
  }

  /** How many keys are kept (for tests and monitoring). */
  get size(): number {
    return this.entries.size;
  }

  hit(key: string, limit: number, windowMs: number, message: string): void {
    if (limit <= 0) return;
    this.check(key, limit, windowMs, message);
    this.record(key, limit, windowMs);
  }

  check(key: string, limit: number, windowMs: number, message: string): void {
    if (limit <= 0) return;
    const t = this.now();
    const times = (this.entries.get(keyOf(key))?.times ?? []).filter((x) => x > t - windowMs);
    // Only the latest `limit` events are kept, so the oldest of them decides when one may go again.
    if (times.length >= limit) throw new RateLimitedError(message, Math.max(1, Math.ceil((times[times.length - limit]! + windowMs - t) / 1000)));
  }

  record(key: string, limit: number, windowMs: number): void {
    if (limit <= 0) return;
    const k = keyOf(key);
    const t = this.now();
    const times = (this.entries.get(k)?.times ?? []).filter((x) => x > t - windowMs);
    times.push(t);
    if (times.length > limit) times.splice(0, times.length - limit);
    // Delete and set again so the map's order is least recently counted first, for eviction.
    this.entries.delete(k);
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(k, { windowMs, times });
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
  }

  /** Drop every key whose events have all left its window. */
  sweep(): void {
    const t = this.now();
    for (const [k, e] of this.entries) if (e.times.at(-1)! <= t - e.windowMs) this.entries.delete(k);
  }
}

function keyOf(key: string): string {
  return key.length <= MAX_KEY ? key : `#${createHash('sha256').update(key).digest('base64url')}`;
}
