/**
 * Content storage: each distinct text is stored once, addressed by its SHA-1 and compressed.
 * Only this module knows how texts are kept, so the scheme can change without touching callers.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './connection.js';

export interface StoredContent {
  id: number;
  sha1: string;
  size: number;
}

/** Texts shorter than this are kept raw: compression would save nothing worth the CPU. */
const COMPRESS_FROM = 256;
const CACHE_SIZE = 500;
/**
 * And at most this many UTF-16 units in all: 500 texts of 1 MiB would keep half a gigabyte alive,
 * which every full garbage collection then walks while readers wait. 4 Mi units (8 MB at most) per
 * worker process keeps a worker under SPEC section 9's 150 MB after megabyte-long texts.
 */
const CACHE_MAX_CHARS = 4 * 1024 * 1024;
/**
 * Texts this long are not kept at all: reading one again costs an inflate of a few milliseconds,
 * next to the seconds of work a diff or render of it takes, while keeping a few would hold
 * megabytes in every worker after the requests that needed them are gone.
 */
const CACHE_TEXT_MAX = 256 * 1024;

export function sha1Of(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** A text as it is stored: its hash, its size in UTF-8 bytes, and its bytes, deflated when that pays. */
export interface PackedText {
  sha1: string;
  size: number;
  encoding: 'raw' | 'deflate';
  data: Uint8Array;
}

/**
 * Hash and compress a text for put() (pure): done before the save's write transaction, on a text
 * thread for a long text, so the transaction only writes. Hashing and deflating 1 MiB took 17 ms
 * inside it, every other request waiting.
 */
export function packText(text: string): PackedText {
  const bytes = Buffer.from(text, 'utf8');
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  const packed = bytes.length >= COMPRESS_FROM ? deflateRawSync(bytes) : undefined;
  return packed !== undefined && packed.length < bytes.length
    ? { sha1, size: bytes.length, encoding: 'deflate', data: packed }
    : { sha1, size: bytes.length, encoding: 'raw', data: bytes };
}

export class ContentStore {
  private readonly bySha1;
  private readonly insert;
  private readonly byId;
  // Recently read texts: views and diffs read the same few texts again and again.
  private readonly cache = new Map<number, string>();
  private cachedChars = 0;

  private readonly verifyStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.verifyStmt = db.prepare<[number, number], ContentRow>('SELECT id, sha1, size, encoding, data FROM content WHERE id > ? ORDER BY id LIMIT ?');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM content');
    this.bySha1 = db.prepare<[string], { id: number; size: number }>('SELECT id, size FROM content WHERE sha1 = ?');
    this.insert = db.prepare('INSERT INTO content (sha1, size, encoding, data) VALUES (?, ?, ?, ?)');
    this.byId = db.prepare<[number], { encoding: string; data: Buffer }>('SELECT encoding, data FROM content WHERE id = ?');
  }

  /**
   * Store a text (or the same packed by packText), or find it when the same text is already stored
   * (a revert stores nothing new).
   */
  put(text: string | PackedText): StoredContent {
    const p = typeof text === 'string' ? packText(text) : text;
    const found = this.bySha1.get(p.sha1);
    if (found) return { id: found.id, sha1: p.sha1, size: found.size };
    // Packed on a text thread, the bytes arrive as a plain Uint8Array: seen as a Buffer, not copied.
    const data = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    const info = this.insert.run(p.sha1, p.size, p.encoding, data);
    return { id: Number(info.lastInsertRowid), sha1: p.sha1, size: p.size };
  }

  /** The text of a content id. @throws when the id is unknown: revisions always point at stored content. */
  get(id: number): string {
    const hit = this.cache.get(id);
    if (hit !== undefined) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const text = this.read(id);
    if (text.length >= CACHE_TEXT_MAX) return text;
    this.cache.set(id, text);
    this.cachedChars += text.length;
    while (this.cache.size > CACHE_SIZE || this.cachedChars > CACHE_MAX_CHARS) {
      const [oldest, dropped] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      this.cachedChars -= dropped.length;
    }
    return text;
  }

  /** Forget cached texts (after a rollback, when content ids may be handed out again). */
  clearCache(): void {
    this.cache.clear();
    this.cachedChars = 0;
  }

  /** What the cache of recently read texts holds: texts, and their UTF-16 units in all. */
  cacheSize(): { texts: number; chars: number } {
    return { texts: this.cache.size, chars: this.cachedChars };
  }

  /**
   * The text of a content id, bypassing the cache: bulk readers (export) read each text once and
   * would only push out the texts that views keep reading.
   * @throws when the id is unknown.
   */
  read(id: number): string {
    const row = this.byId.get(id);
    if (!row) throw new Error(`content ${id} is missing`);
    return decode(row).toString('utf8');
  }

  /**
   * Check up to `limit` stored texts with ids above `afterId`, in id order: each must decode, have
   * its recorded size and hash to its own sha1. `lastId` is where to continue; undefined when done.
   */
  verify(afterId: number, limit: number): { lastId: number | undefined; checked: number; bad: BadContent[] } {
    const rows = this.verifyStmt.all(afterId, limit);
    const bad: BadContent[] = [];
    for (const row of rows) {
      const problem = contentProblem(row);
      if (problem) bad.push({ id: row.id, sha1: row.sha1, problem });
    }
    return { lastId: rows.at(-1)?.id, checked: rows.length, bad };
  }

  /** How many distinct texts are stored. */
  count(): number {
    return this.countStmt.get()!.n;
  }
}

export interface BadContent {
  id: number;
  sha1: string;
  problem: string;
}

interface ContentRow {
  id: number;
  sha1: string;
  size: number;
  encoding: string;
  data: Buffer;
}

function decode(row: { encoding: string; data: Buffer }): Buffer {
  return row.encoding === 'deflate' ? inflateRawSync(row.data) : row.data;
}

/** What is wrong with a stored text, or undefined when it is intact. */
function contentProblem(row: ContentRow): string | undefined {
  let bytes: Buffer;
  try {
    bytes = decode(row);
  } catch (e) {
    return `its ${row.encoding} data cannot be decoded (${(e as Error).message})`;
  }
  if (!Buffer.isBuffer(bytes)) return 'its data is not a blob';
  const actual = createHash('sha1').update(bytes).digest('hex');
  if (actual !== row.sha1) return `its text hashes to ${actual}, not to its sha1 ${row.sha1}`;
  if (bytes.length !== row.size) return `its text is ${bytes.length} bytes, not its recorded ${row.size}`;
  return undefined;
}
