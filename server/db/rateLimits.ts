/** Sliding-window event counts per key in the rate_limit table, shared by every process that opens the database. */
import { createHash } from 'node:crypto';
import type { Db } from './connection.js';

/** Keys longer than this are kept as a hash, so a caller's long input never costs space. */
export const MAX_KEY = 120;

/** The stored form of a key: itself, or, past MAX_KEY characters, "#" and its SHA-256. */
export function storedKey(key: string): string {
  return key.length <= MAX_KEY ? key : `#${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * The counts of the rate limits. Each key keeps the times of its latest `limit` events inside
 * the window: the oldest of them decides when one more may go, which is an exact sliding window.
 * Read-modify-write steps run in IMMEDIATE transactions, so two processes counting one key at
 * once are serialised by SQLite's write lock and neither count is lost. `now` is milliseconds
 * since the epoch, passed in so tests can move the clock. A limit of 0 or less counts nothing.
 */
export class RateLimitStore {
  private readonly select;
  private readonly upsert;
  private readonly sweepExpired;
  private readonly countStmt;
  private readonly evict;
  private readonly takeTx;
  private readonly recordTx;

  constructor(private readonly db: Db) {
    this.select = db.prepare<[string], string>('SELECT times FROM rate_limit WHERE key = ?').pluck();
    this.upsert = db.prepare(
      `INSERT INTO rate_limit (key, times, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET times = excluded.times, expires_at = excluded.expires_at`,
    );
    this.sweepExpired = db.prepare('DELETE FROM rate_limit WHERE expires_at <= ?');
    this.countStmt = db.prepare<[], number>('SELECT count(*) FROM rate_limit').pluck();
    this.evict = db.prepare('DELETE FROM rate_limit WHERE key IN (SELECT key FROM rate_limit ORDER BY expires_at LIMIT ?)');
    this.takeTx = db.transaction((key: string, limit: number, windowMs: number, now: number) => {
      const times = this.recent(key, windowMs, now);
      const wait = waitOf(times, limit, windowMs, now);
      if (wait === undefined) this.put(key, times, limit, windowMs, now);
      return wait;
    });
    this.recordTx = db.transaction((key: string, limit: number, windowMs: number, now: number) => {
      this.put(key, this.recent(key, windowMs, now), limit, windowMs, now);
    });
  }

  /** Seconds until one more event of `key` may go (at least 1), or undefined when it may now. Counts nothing. */
  wait(key: string, limit: number, windowMs: number, now: number): number | undefined {
    if (limit <= 0) return undefined;
    return waitOf(this.recent(storedKey(key), windowMs, now), limit, windowMs, now);
  }

  /** Count one event of `key` unless `limit` already fell in the window: then the seconds to wait, and nothing counted. */
  take(key: string, limit: number, windowMs: number, now: number): number | undefined {
    if (limit <= 0) return undefined;
    return this.takeTx.immediate(storedKey(key), limit, windowMs, now) as number | undefined;
  }

  /** Count one event of `key`, whatever the count. */
  record(key: string, limit: number, windowMs: number, now: number): void {
    if (limit <= 0) return;
    this.recordTx.immediate(storedKey(key), limit, windowMs, now);
  }

  /**
   * Delete the keys whose events have all left their window, then, while more than `maxKeys`
   * remain, the ones that would have expired soonest. Returns how many rows were deleted.
   */
  sweep(now: number, maxKeys: number): number {
    let deleted = this.sweepExpired.run(now).changes;
    const over = this.countStmt.get()! - maxKeys;
    if (over > 0) deleted += this.evict.run(over).changes;
    return deleted;
  }

  /** How many keys are kept (for tests and monitoring). */
  count(): number {
    return this.countStmt.get()!;
  }

  /** Whether the connection is still open (a sweep timer may outlive it). */
  get open(): boolean {
    return this.db.open;
  }

  /** The stored times of a key still inside the window, oldest first. */
  private recent(key: string, windowMs: number, now: number): number[] {
    const stored = this.select.get(key);
    if (stored === undefined) return [];
    return (JSON.parse(stored) as number[]).filter((t) => t > now - windowMs);
  }

  private put(key: string, times: number[], limit: number, windowMs: number, now: number): void {
    times.push(now);
    // Only the latest `limit` events can ever decide a refusal; older ones are dropped.
    if (times.length > limit) times.splice(0, times.length - limit);
    this.upsert.run(key, JSON.stringify(times), now + windowMs);
  }
}

/** Seconds until the oldest of the latest `limit` events leaves the window, or undefined when fewer fell in it. */
function waitOf(times: number[], limit: number, windowMs: number, now: number): number | undefined {
  if (times.length < limit) return undefined;
  return Math.max(1, Math.ceil((times[times.length - limit]! + windowMs - now) / 1000));
}
