/** In-memory sliding-window rate limits (per process), answering 429 with Retry-After. */
import { RateLimitedError } from '../../wiki/errors.js';

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = Date.now();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Count one event for `key` and refuse when more than `limit` fell in the last `windowMs`.
   * A limit of 0 means no limit.
   * @throws RateLimitedError with the seconds until the oldest event leaves the window.
   */
  hit(key: string, limit: number, windowMs: number, message: string): void {
    if (limit <= 0) return;
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((x) => x > t - windowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      throw new RateLimitedError(message, Math.max(1, Math.ceil((recent[0]! + windowMs - t) / 1000)));
    }
    recent.push(t);
    this.hits.set(key, recent);
    this.sweep(t, windowMs);
  }

  /** Refuse without counting (to check before an attempt whose failure is what counts). */
  check(key: string, limit: number, windowMs: number, message: string): void {
    if (limit <= 0) return;
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((x) => x > t - windowMs);
    if (recent.length >= limit) throw new RateLimitedError(message, Math.max(1, Math.ceil((recent[0]! + windowMs - t) / 1000)));
  }

  /** Count an event without checking (a failed login). */
  record(key: string): void {
    const list = this.hits.get(key) ?? [];
    list.push(this.now());
    this.hits.set(key, list);
  }

  // Drop idle keys now and then so the map cannot grow without bound.
  private sweep(t: number, windowMs: number): void {
    if (t - this.lastSweep < 60_000) return;
    this.lastSweep = t;
    for (const [k, v] of this.hits) if (!v.some((x) => x > t - Math.max(windowMs, 3_600_000))) this.hits.delete(k);
  }
}
