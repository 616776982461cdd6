/**
 * Finished anonymous page views shared by every worker process: a second tier behind each
 * process's in-memory ViewCache (http/viewCache.ts), in append-only segment files in a folder
 * beside the wiki's database (`data/wiki.db` → `data/wiki.views/<generation>/`).
 *
 * A process keeps only the most viewed pages in memory (SPEC section 9 bounds each worker's
 * memory); a wiki with tens of thousands of pages read at random would otherwise re-assemble most
 * views. From here a view costs one read of the file at an offset this process already knows:
 * each worker writes to segments of its own and keeps an index (key → segment, offset, length)
 * of every segment in the folder, learning of the others' records when it misses a key. A SQLite
 * file held the views before: its read of a 13 KiB view cost twice the file read, and the
 * snapshot it needed made another worker's views wait to be seen.
 *
 * The folder is a cache: never exported or checked; safe to delete while the server is stopped.
 * Writes are gathered and appended every WRITE_EVERY_MS. The folder is bounded by bytes: whole
 * segments go, oldest first, and a view read from the oldest quarter is written again at the end,
 * so what is read stays. Freshness is not its business: each entry carries the stamps it was built
 * from and the stamp epoch read before them, and the caller compares them with the wiki's before serving.
 *
 * Files are written without syncing: a worker that dies mid-write leaves a short last record,
 * which every reader skips; a machine that loses power may leave anything, so segments older than
 * the machine's last boot are dropped at start.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync,
} from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';

/**
 * Bytes of segments kept on disk, every worker's together; past it the oldest segments go. At
 * 512 MiB, the views of the 41,000 pages of a 100,000-page wiki that the benchmark's warm-up
 * reached (13 KiB each) overflowed it: random views of them served 5,013 a second at 263 µs of
 * server CPU each, missing and writing views again; at 1 GiB, 24,488 at 56 µs. Each view kept
 * costs every worker an index entry besides its disk space.
 */
export const VIEW_STORE_BYTES = 1024 * 1024 * 1024;
/** A worker starts a new segment when its current one would pass this. */
export const SEGMENT_BYTES = 16 * 1024 * 1024;
/** Gathered writes go out this often. */
export const WRITE_EVERY_MS = 50;
/** Bytes of records waiting to be written; past it new ones are not kept (the store is behind). */
const MAX_WAITING_BYTES = 8 * 1024 * 1024;
/** A key this process has no record of is looked for in the other workers' segments at most this often. */
export const REFRESH_MS = 20;
/** Dropping old segments frees down to this share of the bound, so it runs once per many segments. */
const EVICT_TO = 0.9;
/** A view read from the oldest segments, holding this share of the bytes or the next evictions' if more, is written again at the end. */
const RENEW_SHARE = 0.25;

export interface StoredView {
  key: string;
  etag: string;
  /** JSON of the headers the full path sent (minus per-response ones, and those below). */
  headers: string;
  /** The Last-Modified header the full path sent, if any. */
  lastModified?: string;
  /** Titles of the pages the body shows and their stamps when it was built. */
  titles: string[];
  stamps: string[];
  /** The stamp epoch read before those stamps (PageStore.stampEpoch). */
  epoch: number;
  body: Buffer;
}

/**
 * A record, little-endian: MAGIC, its whole length, the byte lengths of key, ETag, headers (JSON),
 * dependencies and Last-Modified (JSON) and body, those five, then TRAILER. A record whose length
 * runs past the end of its file is still being written (or never will be); one without its marks
 * ends the segment.
 */
const MAGIC = 0x31565750; // "PWV1"
const TRAILER = 0x444e4556; // "VEND"
const HEAD = 28;
/** Memory get() reads records into, reused from its start when full (see detach). */
const SLAB_BYTES = 1024 * 1024;
/** Bytes read at once when looking through a segment: a record's head and, nearly always, its key. */
const PEEK = HEAD + 480;

interface Segment {
  name: string;
  fd: number;
  /** Bytes looked through (its records indexed); for this process's own segment, bytes written. */
  end: number;
  /** A record without its marks was met: nothing past it is read. */
  broken: boolean;
  /** Deleted (by any worker): its records are misses. */
  gone: boolean;
}

interface Place {
  seg: Segment;
  offset: number;
  length: number;
}

/** The folder of view stores beside the wiki database `dbFile`; ':memory:' (tests) gives a private one removed at close. */
export function viewStoreDir(dbFile: string): string {
  if (dbFile === ':memory:') return dbFile;
  const ext = extname(dbFile);
  return join(dirname(dbFile), `${basename(dbFile, ext)}.views`);
}

/** The record of `v`, ready to append. */
function encode(v: StoredView): Buffer {
  const parts = [v.key, v.etag, v.headers, JSON.stringify({ titles: v.titles, stamps: v.stamps, epoch: v.epoch, lastModified: v.lastModified })].map((s) => Buffer.from(s, 'utf8'));
  const length = HEAD + parts.reduce((n, p) => n + p.length, 0) + v.body.length + 4;
  const r = Buffer.allocUnsafe(length);
  r.writeUInt32LE(MAGIC, 0);
  r.writeUInt32LE(length, 4);
  let at = HEAD;
  parts.forEach((p, i) => {
    r.writeUInt32LE(p.length, 8 + i * 4);
    at += p.copy(r, at);
  });
  r.writeUInt32LE(v.body.length, 24);
  at += v.body.copy(r, at);
  r.writeUInt32LE(TRAILER, at);
  return r;
}

/** The view in record `r` when it is whole and holds `key`, else undefined. */
function decode(r: Buffer, key: string): StoredView | undefined {
  if (r.length < HEAD + 4 || r.readUInt32LE(0) !== MAGIC || r.readUInt32LE(4) !== r.length || r.readUInt32LE(r.length - 4) !== TRAILER) return undefined;
  const lengths = [8, 12, 16, 20, 24].map((o) => r.readUInt32LE(o));
  if (HEAD + lengths.reduce((a, b) => a + b, 0) + 4 !== r.length) return undefined;
  const fields: string[] = [];
  let at = HEAD;
  for (let i = 0; i < 4; i++) {
    fields.push(r.toString('utf8', at, at + lengths[i]!));
    at += lengths[i]!;
  }
  if (fields[0] !== key) return undefined;
  const deps = JSON.parse(fields[3]!) as { titles: string[]; stamps: string[]; epoch: number; lastModified?: string };
  return { key, etag: fields[1]!, headers: fields[2]!, lastModified: deps.lastModified, titles: deps.titles, stamps: deps.stamps, epoch: deps.epoch, body: r.subarray(at, at + lengths[4]!) };
}

export interface ViewStoreOptions {
  /** Bytes of segments kept, every process's together (default VIEW_STORE_BYTES). */
  maxBytes?: number;
  /** Bytes of one segment (default SEGMENT_BYTES). */
  segmentBytes?: number;
  /** Told of a write that failed (a full disk): the views waiting are skipped. */
  onError?: (e: unknown) => void;
}

export class ViewStore {
  /** The folder of this generation's segments. */
  private readonly dir: string;
  /** Removed at close: the private folder of an in-memory wiki. */
  private readonly temporary: string | undefined;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly onError: (e: unknown) => void;
  /** Every segment of the folder known to this process, by file name (names sort oldest first). */
  private readonly segments = new Map<string, Segment>();
  private readonly index = new Map<string, Place>();
  /** This process's segment being written, once it has written one. */
  private current: Segment | undefined;
  /** Segments whose names sort up to this hold the oldest RENEW_SHARE of the bytes ('' for none). */
  private renewBefore = '';
  private refreshedAt = -Infinity;
  private readonly peek = Buffer.allocUnsafe(PEEK);
  /** Where get() reads records (see detach). */
  private slab: Buffer | undefined;
  private slabAt = 0;
  private waiting: Array<{ key: string; record: Buffer }> = [];
  /** Keys of views read from old segments and waiting to be written again (each once). */
  private readonly renewing = new Set<string>();
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /**
   * Open the store in `root` (made if missing) for views of `generation`, indexing what every
   * process wrote there for it. `root` ':memory:' gives a private folder removed at close.
   */
  constructor(root: string, private readonly generation: string, o: ViewStoreOptions = {}) {
    this.maxBytes = o.maxBytes ?? VIEW_STORE_BYTES;
    this.segmentBytes = o.segmentBytes ?? SEGMENT_BYTES;
    this.onError = o.onError ?? (() => undefined);
    if (!/^[\w-]+$/.test(generation)) throw new Error(`a view generation is letters, digits, _ and - only, not "${generation}"`);
    if (root === ':memory:') root = this.temporary = mkdtempSync(join(tmpdir(), 'peerwiki-views-'));
    this.dir = join(root, generation);
    mkdirSync(this.dir, { recursive: true });
    this.refresh();
  }

  /**
   * At start, before any worker serves: drop what an older build or other settings made (the
   * other generations' folders), and this generation's segments if the machine has restarted
   * since they were written (unsynced, they may hold anything after a power cut).
   */
  dropOtherGenerations(): void {
    const root = dirname(this.dir);
    for (const name of readdirSync(root)) if (name !== this.generation) rmSync(join(root, name), { recursive: true, force: true });
    const boot = Date.now() - uptime() * 1000;
    for (const seg of this.segments.values()) {
      let mtime: number;
      try {
        mtime = statSync(join(this.dir, seg.name)).mtimeMs;
      } catch {
        continue;
      }
      if (mtime < boot) this.remove(seg);
    }
  }

  /** The entry of this generation kept for `key`, or undefined. Its body is valid until the next get() (see detach). */
  get(key: string): StoredView | undefined {
    let at = this.index.get(key);
    if (!at && performance.now() - this.refreshedAt >= REFRESH_MS) {
      this.refresh();
      at = this.index.get(key);
    }
    if (!at) return undefined;
    const record = this.space(at.length);
    let read = -1;
    if (!at.seg.gone) {
      try {
        read = readSync(at.seg.fd, record, 0, at.length, at.offset);
      } catch {
        // Closed or unreadable: a miss.
      }
    }
    const v = read === at.length ? decode(record, key) : undefined;
    if (!v) {
      this.index.delete(key);
      return undefined;
    }
    // About to be dropped with its segment: written again at the end, since it is read.
    if (at.seg !== this.current && at.seg.name <= this.renewBefore && !this.renewing.has(key)) {
      this.renewing.add(key);
      this.enqueue(key, Buffer.from(record));
    }
    return v;
  }

  /**
   * The views get() gives share memory with the ones it gives next (a new buffer for each
   * would cost more than the read, in allocation and collection): a caller that is not done with
   * a view's body before its next get() says so here, and the store reads into new memory from then on.
   */
  detach(): void {
    this.slab = undefined;
    this.slabAt = 0;
  }

  /** Room for a record of `length` bytes: the next part of the slab, from its start again when full. */
  private space(length: number): Buffer {
    if (length > SLAB_BYTES / 8) return Buffer.allocUnsafe(length);
    if (!this.slab) this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    if (this.slabAt + length > SLAB_BYTES) this.slabAt = 0;
    const part = this.slab.subarray(this.slabAt, this.slabAt + length);
    this.slabAt += length;
    return part;
  }

  /** Keep `v` (at the next round of writes), replacing what `key` held. */
  put(v: StoredView): void {
    this.enqueue(v.key, encode(v));
  }

  /** Forget the entry of `key`, found stale, in this process (other processes find it stale themselves). */
  drop(key: string): void {
    this.index.delete(key);
  }

  /** Bytes of segments kept now, as this process last counted them (every process's together). */
  get size(): number {
    let n = 0;
    for (const seg of this.segments.values()) n += seg.end;
    return n;
  }

  /** Append the waiting records now. False when that failed (told to onError; they are skipped). */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0 || this.closed) return true;
    const writes = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    this.renewing.clear();
    try {
      const seg = this.segmentFor(writes.reduce((n, w) => n + w.record.length, 0));
      const data = Buffer.concat(writes.map((w) => w.record));
      let done = 0;
      while (done < data.length) done += writeSync(seg.fd, data, done, data.length - done, seg.end + done);
      let offset = seg.end;
      for (const w of writes) {
        this.index.set(w.key, { seg, offset, length: w.record.length });
        offset += w.record.length;
      }
      seg.end = offset;
      return true;
    } catch (e) {
      this.onError(e);
      return false;
    }
  }

  /** Write what waits, then close the segments (and remove a private folder). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const seg of this.segments.values()) this.forget(seg);
    this.index.clear();
    if (this.temporary) rmSync(this.temporary, { recursive: true, force: true });
  }

  private enqueue(key: string, record: Buffer): void {
    if (this.closed || this.waitingBytes + record.length > MAX_WAITING_BYTES) return;
    this.waiting.push({ key, record });
    this.waitingBytes += record.length;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), WRITE_EVERY_MS);
    this.timer.unref();
  }

  /** This process's segment with room for `bytes` more: a new one when the current is full, after dropping old ones past the bound. */
  private segmentFor(bytes: number): Segment {
    if (this.current && !this.current.gone && this.current.end + bytes <= this.segmentBytes) return this.current;
    this.refresh();
    this.evict(Math.max(bytes, this.segmentBytes));
    mkdirSync(this.dir, { recursive: true });
    const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${randomBytes(4).toString('hex')}.seg`;
    const seg: Segment = { name, fd: openSync(join(this.dir, name), 'wx+'), end: 0, broken: false, gone: false };
    this.segments.set(name, seg);
    this.current = seg;
    return seg;
  }

  /** Learn of segments other processes made or removed, and index the records they appended. */
  private refresh(): void {
    this.refreshedAt = performance.now();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.seg')).sort();
    } catch {
      // Removed (a newer build started): nothing is kept.
    }
    const present = new Set(names);
    for (const seg of this.segments.values()) if (!present.has(seg.name)) this.forget(seg);
    let total = 0;
    for (const name of names) {
      let seg = this.segments.get(name);
      if (!seg) {
        let fd: number;
        try {
          fd = openSync(join(this.dir, name), 'r');
        } catch {
          continue;
        }
        seg = { name, fd, end: 0, broken: false, gone: false };
        this.segments.set(name, seg);
      }
      if (seg !== this.current) this.scan(seg);
      total += seg.end;
    }
    // The oldest segments, once the next rounds of eviction may take them.
    const near = total + 2 * this.segmentBytes > this.maxBytes;
    const zone = near ? Math.max(total * RENEW_SHARE, total - this.evictTo() + this.segmentBytes) : 0;
    let counted = 0;
    this.renewBefore = '';
    for (const name of names) {
      const seg = this.segments.get(name);
      if (!seg) continue;
      if (counted >= zone) break;
      this.renewBefore = name;
      counted += seg.end;
    }
  }

  /** Index the whole records of `seg` past what was looked through; stop at a short or unmarked one. */
  private scan(seg: Segment): void {
    if (seg.broken || seg.gone) return;
    const size = fstatSync(seg.fd).size;
    while (seg.end + HEAD + 4 <= size) {
      const n = readSync(seg.fd, this.peek, 0, Math.min(PEEK, size - seg.end), seg.end);
      const length = this.peek.readUInt32LE(4);
      const keyLength = this.peek.readUInt32LE(8);
      if (n < HEAD || this.peek.readUInt32LE(0) !== MAGIC || length < HEAD + 4 + keyLength) {
        seg.broken = true;
        return;
      }
      if (seg.end + length > size) return;
      let key: string;
      if (HEAD + keyLength <= n) key = this.peek.toString('utf8', HEAD, HEAD + keyLength);
      else {
        const k = Buffer.allocUnsafe(keyLength);
        readSync(seg.fd, k, 0, keyLength, seg.end + HEAD);
        key = k.toString('utf8');
      }
      this.index.set(key, { seg, offset: seg.end, length });
      seg.end += length;
    }
  }

  /** When `bytes` more would pass the bound, remove the oldest segments down to evictTo(). */
  private evict(bytes: number): void {
    if (this.size + bytes <= this.maxBytes) return;
    let over = this.size - this.evictTo();
    for (const name of [...this.segments.keys()].sort()) {
      if (over <= 0) break;
      const seg = this.segments.get(name)!;
      over -= seg.end;
      this.remove(seg);
    }
  }

  /**
   * Bytes eviction frees down to: room for a whole new segment, and a margin so that it runs once
   * per many segments. Every other worker's current segment grows past it by up to a segment.
   */
  private evictTo(): number {
    return Math.min(this.maxBytes * EVICT_TO, this.maxBytes - this.segmentBytes);
  }

  private remove(seg: Segment): void {
    rmSync(join(this.dir, seg.name), { force: true });
    this.forget(seg);
  }

  /** Close a segment that is gone: its records in the index become misses as they are asked for. */
  private forget(seg: Segment): void {
    if (seg.gone) return;
    seg.gone = true;
    this.segments.delete(seg.name);
    if (this.current === seg) this.current = undefined;
    try {
      closeSync(seg.fd);
    } catch {
      // Already closed.
    }
  }
}
