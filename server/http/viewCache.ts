/**
 * Finished page views for readers without a session, kept as the bytes that went out (SPEC section
 * 8: the view path serves bytes). A hit costs a check of the stamp of each page it shows and one
 * write to the socket: no routing, no rendering, no revision text, no header building. The check
 * is one comparison while no page has changed since the view was made (the stamp epoch,
 * PageStore.stampEpoch), and a lookup after a change (db/stamps.ts: one read transaction a turn,
 * and memory while nothing is written).
 *
 * Every worker process keeps the most used in memory, and all of them share the rest through the
 * view store (db/viewStore.ts): a page another worker built costs one read of a file. Each hit,
 * from either, is checked against the database's stamps, so a change made through any worker is
 * seen by the next request to every worker.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { Stores } from '../db/stores.js';
import type { ViewStore } from '../db/viewStore.js';
import { SESSION_COOKIE } from './middleware/session.js';
import { matches } from './freshness.js';
import { sendText } from './views.js';
import type { Html } from '../../views/html.js';

/**
 * Bytes of bodies kept in one process's memory; past it the least recently used are dropped (they
 * stay in the shared view store, a read of a few microseconds away). Bounded well below SPEC
 * section 9's 150 MB a worker: 8 MiB holds the 600 or so most read pages of 14 KiB.
 */
export const VIEW_CACHE_BYTES = 8 * 1024 * 1024;
/**
 * A view read from the shared store this many times lately is kept in memory too. Each one kept
 * is a copy of its body and pushes out the least recently used: at 2, readers spread over more
 * pages than memory holds (the benchmark's random views of 1,000 pages, a wiki's long tail) had a
 * fifth of all views copy a body and drop another, and the collections that churn caused cost
 * more than the reads it saved (56 µs of server CPU a view, 46 without it). Pages read this
 * often are the ones worth the memory.
 */
export const KEEP_AFTER_READS = 8;
/**
 * "Lately" for KEEP_AFTER_READS: every count starts again at 0 after this many views asked of the
 * cache (which also bounds the keys counted). So only a page with at least one view in
 * COUNT_WINDOW / KEEP_AFTER_READS is copied into memory, and at most that many a window: random
 * views of 1,000 pages, 430 of them not in memory (the benchmark's), read each of those about
 * twice a window, and keep almost none.
 */
export const COUNT_WINDOW = 2_048;
/** A body larger than this is never kept: it would push out dozens of ordinary pages. */
const MAX_ENTRY_BYTES = 1024 * 1024;

interface Entry {
  body: Buffer;
  /** The headers the full path sent but the per-response and per-page ones, shared by every entry that has the same. */
  headers: HeaderSet;
  etag: string;
  /** The Last-Modified the full path sent, if any. */
  lastModified: string | undefined;
  /** Titles of the pages the body shows (a redirect and its target), and their stamps when it was made. */
  titles: string[];
  stamps: string[];
  /** The stamp epoch read before those stamps (PageStore.stampEpoch). */
  epoch: number;
}

/** Headers a kept response must not repeat: made anew for each response, or never shared. */
const PER_RESPONSE = new Set(['set-cookie', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
/** Headers that differ from page to page, kept with each entry; the rest are nearly always the same (HeaderSet). */
const PER_PAGE = new Set(['etag', 'last-modified']);

/**
 * The headers many views share (security policy, cache control, type), as writeHead takes them
 * (name, value, name, value…): one copy for all of them, parsed once, not once a view read from
 * the shared store, and no object built for each response.
 */
interface HeaderSet {
  ok: string[];
  /** For a 304: the same but the content's type. */
  notModified: string[];
}

/** Distinct header sets remembered; past it they are all forgotten (a wiki has a handful). */
const HEADER_SETS_KEPT = 64;

const ASKED = Symbol('view cache asked');

const sessionCookie = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`);

/**
 * The key of a request the cache may answer: a GET or HEAD of /wiki/{Title} with no query, from a
 * reader with neither a session cookie nor an Authorization header. undefined for anything else.
 */
export function viewKey(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  // Inside a router mounted at /wiki, Express shortens req.url: the original is the key.
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  if (!url.startsWith('/wiki/') || url.length === 6 || url.includes('?')) return undefined;
  if (req.headers.authorization !== undefined) return undefined;
  const cookie = req.headers.cookie;
  if (cookie !== undefined && sessionCookie.test(cookie)) return undefined;
  return url;
}

export class ViewCache {
  private readonly entries = new Map<string, Entry>();
  /** Reads from the shared store of keys not kept in memory, lately (fromShared). */
  private readonly sharedReads = new Map<string, number>();
  /** Views asked of the cache since the counts last started again (COUNT_WINDOW). */
  private viewsCounted = 0;
  /** JSON of shared headers → their HeaderSet. */
  private readonly headerSets = new Map<string, HeaderSet>();
  private bytes = 0;
  hits = 0;

  /** Views answered from the shared store (a subset of `hits`). */
  sharedHits = 0;

  constructor(
    private readonly stores: Stores,
    private readonly maxBytes = VIEW_CACHE_BYTES,
    /** The store shared by every worker; none: this process's memory only. */
    private readonly shared?: ViewStore,
  ) {}

  /** Bytes of bodies kept now. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Answer `req` from the cache when it holds a fresh copy: true when it did (the response is
   * finished), false when the request must take the full path.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    // Asked once per request: the server's listener asks first, and the app's own first
    // middleware (for the app served alone, as in tests) then finds the answer already given.
    const asked = req as IncomingMessage & { [ASKED]?: true };
    if (asked[ASKED]) return false;
    asked[ASKED] = true;
    const key = viewKey(req);
    if (key === undefined) return false;
    if (++this.viewsCounted > COUNT_WINDOW) {
      this.sharedReads.clear();
      this.viewsCounted = 1;
    }
    let e = this.entries.get(key);
    if (e && !this.fresh(e)) {
      this.drop(key, e);
      e = undefined;
    }
    let borrowed = false;
    if (e) {
      // Most recently used last, so eviction takes the oldest first.
      this.entries.delete(key);
      this.entries.set(key, e);
    } else {
      e = this.fromShared(key);
      if (!e) return false;
      borrowed = !this.entries.has(key);
    }
    this.hits += 1;
    const perPage = e.lastModified === undefined ? ['etag', e.etag] : ['etag', e.etag, 'last-modified', e.lastModified];
    if (matches(req.headers['if-none-match'], e.etag)) {
      res.writeHead(304, [...e.headers.notModified, ...perPage]).end();
      return true;
    }
    res.writeHead(200, [...e.headers.ok, ...perPage, 'content-length', String(e.body.length)]);
    res.end(req.method === 'HEAD' ? undefined : e.body);
    // The store's memory for the body is reused by its next read: if the socket could not take
    // all of it at once, the rest still points there.
    if (borrowed && !res.writableFinished) this.shared!.detach();
    return true;
  }

  /**
   * Send `html` as the full path's 200 answer to `req` and keep it when the request may be answered
   * from the cache next time. `titles` and `stamps` (PageStore.stamp, read before the page was
   * rendered) are what it depends on, and `epoch` the stamp epoch read before those stamps
   * (PageStore.stampEpoch); the headers already set on `res` are kept with it.
   */
  sendAndKeep(req: Request, res: Response, html: Html, titles: string[], stamps: Array<string | undefined>, epoch: number): void {
    const key = viewKey(req);
    res.status(200).type('html');
    const keep = key !== undefined && res.getHeader('set-cookie') === undefined && stamps.every((s) => s !== undefined) &&
      typeof res.getHeader('etag') === 'string' && html.byteLength() <= MAX_ENTRY_BYTES;
    // Too long to keep: sent piece by piece, never joined into one buffer.
    if (!keep) return sendText(res, html);
    const body = html.bytes();
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (!PER_RESPONSE.has(name) && !PER_PAGE.has(name) && value !== undefined) headers[name] = value;
    }
    const json = JSON.stringify(headers);
    const lastModified = res.getHeader('last-modified') as string | undefined;
    const e: Entry = { body, headers: this.headerSet(json), etag: res.getHeader('etag') as string, lastModified, titles, stamps: stamps as string[], epoch };
    this.put(key, e);
    this.shared?.put({ key, etag: e.etag, headers: json, lastModified, titles, stamps: e.stamps, epoch, body });
    res.set('Content-Length', String(body.length));
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * Whether every page `e` shows still has the stamp it was built from. While no page's stamp has
   * changed since `e` was made (the stamp epoch has not moved), that needs no lookup: a wiki read
   * and not written serves every view without one, however many pages it has.
   */
  private fresh(e: Entry): boolean {
    const epoch = this.stores.stamps.epoch();
    if (e.epoch === epoch) return true;
    for (let i = 0; i < e.titles.length; i++) if (this.stores.stamps.now(e.titles[i]!) !== e.stamps[i]) return false;
    // Current in this epoch (read before those lookups, or in their snapshot): a view kept in
    // memory is not looked up again until the next change anywhere.
    e.epoch = epoch;
    return true;
  }

  /**
   * The shared store's fresh entry for `key` (its body borrowed from the store: see
   * ViewStore.detach); a stale one is dropped. A key read from the store KEEP_AFTER_READS times
   * lately is kept in memory too.
   */
  private fromShared(key: string): Entry | undefined {
    const s = this.shared?.get(key);
    if (!s) return undefined;
    const e: Entry = { body: s.body, headers: this.headerSet(s.headers), etag: s.etag, lastModified: s.lastModified, titles: s.titles, stamps: s.stamps, epoch: s.epoch };
    if (!this.fresh(e)) {
      this.shared!.drop(key);
      return undefined;
    }
    this.sharedHits += 1;
    const reads = (this.sharedReads.get(key) ?? 0) + 1;
    if (reads < KEEP_AFTER_READS) {
      this.sharedReads.set(key, reads);
      return e;
    }
    this.sharedReads.delete(key);
    const kept = { ...e, body: Buffer.from(e.body) };
    this.put(key, kept);
    return kept;
  }

  /** The HeaderSet of shared headers given as JSON (an object of name → value), parsed once. */
  private headerSet(json: string): HeaderSet {
    let set = this.headerSets.get(json);
    if (set) return set;
    const ok: string[] = [];
    const notModified: string[] = [];
    for (const [name, value] of Object.entries(JSON.parse(json) as OutgoingHttpHeaders)) {
      // A header sent more than once (none of a page view's are) goes as one line, values joined.
      const v = Array.isArray(value) ? value.join(', ') : String(value);
      ok.push(name, v);
      if (name !== 'content-type') notModified.push(name, v);
    }
    set = { ok, notModified };
    if (this.headerSets.size >= HEADER_SETS_KEPT) this.headerSets.clear();
    this.headerSets.set(json, set);
    return set;
  }

  private put(key: string, e: Entry): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    this.entries.set(key, e);
    this.bytes += e.body.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, v);
    }
  }

  private drop(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }

  /** Forget everything (tests). */
  clear(): void {
    this.entries.clear();
    this.sharedReads.clear();
    this.viewsCounted = 0;
    this.headerSets.clear();
    this.bytes = 0;
  }
}
