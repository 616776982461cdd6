/**
 * Sending PURGE to the HTTP caches in front of the wiki (WIKI_PURGE_URLS, SPEC section 9): after
 * each committed change, for every URL it made stale (stale.ts), in the background. One bounded,
 * de-duplicating queue per cache; a cache that is slow or down costs a save nothing.
 */
import { Agent, request } from 'node:http';
import type { Config } from '../config.js';
import type { Stores } from '../db/stores.js';
import type { ChangeEvent } from '../wiki/types.js';
import { staleUrls } from './stale.js';

export interface PurgeOptions {
  /** Where warnings go (a cache refusing or unreachable, a full queue): at most one line a minute per kind and cache. */
  log?: (line: string) => void;
  /** URLs waiting per cache; past it the oldest are dropped (and counted in a warning). */
  queueLimit?: number;
  /** Requests in flight per cache, over keep-alive connections. */
  concurrency?: number;
  /** Milliseconds a PURGE may take before it counts as failed. */
  timeoutMs?: number;
  /** Tries per URL (the first included) on connection errors, timeouts and 5xx answers. */
  attempts?: number;
  /** Pause (ms) after a failure, doubled for each failure in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Each change's URLs are purged a second time this many ms later (0: never). A reader's miss that
   * the cache was fetching while the change committed can store the old page after the first purge
   * (as MediaWiki's rebound purges, $wgCdnReboundPurgeDelay, guard against).
   */
  reboundMs?: number;
  /** What close() waits for the queues to empty before giving up on them. */
  drainMs?: number;
}

export interface PurgeCounts {
  /** PURGE requests the caches accepted. */
  sent: number;
  /** URLs given up on after their last try, or refused (4xx). */
  failed: number;
  /** URLs dropped from a full queue. */
  dropped: number;
}

export interface Purger {
  /** Resolves once every queue is empty and no request or retry is pending (rebounds still to come aside). */
  idle(): Promise<void>;
  /** Stop listening to the feed, wait up to `drainMs` for the queues, then drop what is left. Never rejects. */
  close(): Promise<void>;
  /** What was sent, given up on and dropped so far, over all caches. */
  counts(): PurgeCounts;
}

const DEFAULTS = {
  queueLimit: 10_000,
  concurrency: 4,
  timeoutMs: 5_000,
  attempts: 5,
  backoffMs: 250,
  maxBackoffMs: 30_000,
  reboundMs: 10_000,
  drainMs: 2_000,
};
const LOG_EVERY_MS = 60_000;

/**
 * Purge what each committed change makes stale, on every cache of `config.purgeUrls`, with the
 * Host of `config.publicUrl`. With no caches configured it subscribes to nothing. The URL set is
 * worked out while the feed delivers (stale.ts: bounded); sending never blocks or throws into it.
 * @throws RangeError for an option out of range (at start-up, not per change).
 */
export function startPurging(stores: Stores, config: Pick<Config, 'purgeUrls' | 'publicUrl'>, options: PurgeOptions = {}): Purger {
  const o = settings(options);
  if (config.purgeUrls.length === 0) {
    return { idle: async () => {}, close: async () => {}, counts: () => ({ sent: 0, failed: 0, dropped: 0 }) };
  }
  const log = new RateLimitedLog(options.log ?? ((line) => console.warn(line)));
  const host = new URL(config.publicUrl).host;
  const queues = config.purgeUrls.map((base) => new PurgeQueue(base, host, o, log));
  const rebounds = new Set<NodeJS.Timeout>();
  const enqueue = (urls: string[]) => queues.forEach((q) => q.add(urls));

  const unsubscribe = stores.feed.subscribe((event: ChangeEvent) => {
    try {
      const { urls, skipped } = staleUrls(stores, event);
      if (skipped > 0) log.warn('cap', `purge: ${skipped} or more pages linking to ${event.linkColours.map((t) => t.text).join(', ')} were not purged (more than the cap); caches keep them until their s-maxage`);
      if (urls.length === 0) return;
      enqueue(urls);
      if (o.reboundMs > 0) {
        const timer = setTimeout(() => {
          rebounds.delete(timer);
          enqueue(urls);
        }, o.reboundMs);
        timer.unref();
        rebounds.add(timer);
      }
    } catch (e) {
      // A database closing under us, say: the save is committed; the caches keep their s-maxage.
      log.warn('stale', `purge: could not work out what a ${event.type} made stale: ${(e as Error).message}`);
    }
  });

  return {
    idle: async () => {
      await Promise.all(queues.map((q) => q.idle()));
    },
    close: async () => {
      unsubscribe();
      rebounds.forEach(clearTimeout);
      rebounds.clear();
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, o.drainMs);
        timer.unref();
      });
      await Promise.race([Promise.all(queues.map((q) => q.idle())), giveUp]);
      clearTimeout(timer);
      queues.forEach((q) => q.stop());
    },
    counts: () => {
      const all = queues.map((q) => q.counts);
      return { sent: sum(all, 'sent'), failed: sum(all, 'failed'), dropped: sum(all, 'dropped') };
    },
  };
}

/** The options over the defaults (an option left undefined keeps its default). @throws RangeError for a count or time below its least. */
function settings(options: PurgeOptions): Settings {
  const o: Settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const v = options[key];
    if (v === undefined) continue;
    const least = key === 'reboundMs' || key === 'drainMs' ? 0 : 1;
    if (!Number.isFinite(v) || v < least) throw new RangeError(`purge option ${key} must be a number of at least ${least}, not ${v}`);
    o[key] = v;
  }
  return o;
}

function sum(all: PurgeCounts[], key: keyof PurgeCounts): number {
  return all.reduce((n, c) => n + c[key], 0);
}

type Settings = typeof DEFAULTS;

/** What one PURGE came to: done (2xx, or 404 from caches that answer so for what they lack), refused, or to try again. */
type Outcome = { kind: 'done' } | { kind: 'refused'; why: string } | { kind: 'retry'; why: string };

/**
 * The queue of one cache. `pending` is in arrival order and holds each URL once (a URL already
 * waiting needs no second PURGE: the first goes out after this change's commit anyway); a URL in
 * flight may be queued again, since its request may have left before the change committed.
 */
class PurgeQueue {
  readonly counts: PurgeCounts = { sent: 0, failed: 0, dropped: 0 };
  /** URL → tries already made. */
  private readonly pending = new Map<string, number>();
  /** URLs to try again (with their tries), sent before `pending`; at most `concurrency` of them. */
  private readonly retries: [string, number][] = [];
  private inFlight = 0;
  private failuresInARow = 0;
  private pause: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private readonly agent: Agent;
  private readonly target: { hostname: string; port: number };

  constructor(
    private readonly base: string,
    private readonly host: string,
    private readonly o: Settings,
    private readonly log: RateLimitedLog,
  ) {
    const url = new URL(base);
    this.target = { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
    this.agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  }

  add(urls: readonly string[]): void {
    if (this.stopped) return;
    let dropped = 0;
    for (const url of urls) {
      if (this.pending.has(url)) continue;
      if (this.pending.size >= this.o.queueLimit) {
        // Map keys iterate in insertion order: the first is the oldest.
        this.pending.delete(this.pending.keys().next().value!);
        dropped += 1;
      }
      this.pending.set(url, 0);
    }
    if (dropped > 0) {
      this.counts.dropped += dropped;
      this.log.warn(`full ${this.base}`, `purge: the queue for ${this.base} is full (${this.o.queueLimit} URLs); dropped the oldest`, dropped);
    }
    // Sending starts on a later turn: the feed's delivery (and so the save) returns at once.
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is waiting, in flight or paused for a retry. */
  idle(): Promise<void> {
    if (this.isIdle() || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drop everything and close the connections: close() gave up waiting. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.retries.length = 0;
    clearTimeout(this.pause);
    this.pause = undefined;
    this.agent.destroy();
    this.settle();
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.retries.length === 0 && this.inFlight === 0 && this.pause === undefined;
  }

  private settle(): void {
    if (!this.isIdle() && !this.stopped) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private pump(): void {
    while (!this.stopped && this.pause === undefined && this.inFlight < this.o.concurrency && (this.retries.length > 0 || this.pending.size > 0)) {
      const [url, tries] = this.retries.shift() ?? this.pending.entries().next().value!;
      this.pending.delete(url);
      this.inFlight += 1;
      void this.send(url).then((outcome) => this.finish(url, tries + 1, outcome));
    }
    this.settle();
  }

  private finish(url: string, tries: number, outcome: Outcome): void {
    this.inFlight -= 1;
    if (this.stopped) return this.settle();
    if (outcome.kind === 'done') {
      this.counts.sent += 1;
      this.failuresInARow = 0;
    } else if (outcome.kind === 'refused') {
      this.counts.failed += 1;
      this.log.warn(`refused ${this.base}`, `purge: ${this.base} refused PURGE ${url}: ${outcome.why} (is this address in the VCL's purge ACL?)`);
    } else if (tries >= this.o.attempts) {
      this.counts.failed += 1;
      this.log.warn(`failed ${this.base}`, `purge: gave up on PURGE ${url} to ${this.base} after ${tries} tries: ${outcome.why}`);
    } else {
      // Tried again first, after the whole queue waits: a cache that is down is not asked once per URL.
      if (!this.pending.has(url)) this.retries.push([url, tries]);
      this.backOff();
    }
    this.pump();
  }

  /** Pause the queue, twice as long as last time: failures of requests sent together count once. */
  private backOff(): void {
    if (this.pause !== undefined) return;
    this.failuresInARow += 1;
    const ms = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** (this.failuresInARow - 1));
    this.pause = setTimeout(() => {
      this.pause = undefined;
      this.pump();
    }, ms);
    this.pause.unref();
  }

  private send(url: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const req = request({ ...this.target, agent: this.agent, method: 'PURGE', path: url, headers: { Host: this.host } }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const settle = () =>
          resolve(status < 300 || status === 404 ? { kind: 'done' } : status >= 500 ? { kind: 'retry', why: `answered ${status}` } : { kind: 'refused', why: `answered ${status}` });
        res.on('end', settle);
        // The first of these to fire decides: a connection cut mid-answer is tried again.
        res.on('error', (e) => resolve({ kind: 'retry', why: e.message }));
        res.on('close', () => resolve({ kind: 'retry', why: 'connection closed mid-answer' }));
      });
      req.setTimeout(this.o.timeoutMs, () => req.destroy(new Error(`no answer in ${this.o.timeoutMs} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'retry', why: e.code ?? e.message }));
      req.end();
    });
  }
}

/**
 * Warnings at most once per `LOG_EVERY_MS` for each kind, with how many were held back since: a
 * cache that is down for an hour writes a line a minute, not one per URL.
 */
class RateLimitedLog {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(private readonly write: (line: string) => void) {}

  warn(kind: string, line: string, times = 1): void {
    const now = Date.now();
    const seen = this.last.get(kind);
    if (seen && now - seen.at < LOG_EVERY_MS) {
      seen.held += times;
      return;
    }
    const held = seen?.held ?? 0;
    this.last.set(kind, { at: now, held: 0 });
    try {
      this.write(held > 0 ? `${line} (and ${held} more like it in the last minute)` : times > 1 ? `${line} (${times} URLs)` : line);
    } catch {
      // A broken log must not break purging.
    }
  }
}
