/**
 * Content storage: each distinct text is stored once, addressed by its SHA-1 and compressed.
 * Only this module knows how texts are kept, so the scheme can change without touching callers.
 *
 * A text a newer revision replaced is stored, once the wiki gets to it (packQueued), as a delta
 * against that newer text (delta.ts): git's and MediaWiki's idea that a history is mostly the same
 * text again. A page's latest text is always whole, so views read it in one step; an old text is
 * at most MAX_CHAIN deltas from a whole one, and every text still hashes to its sha1.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './connection.js';
import { applyDelta, makeDelta } from './delta.js';
import { SAMPLE_TEXTS, trainDictionary } from './dictionary.js';

export interface StoredContent {
  id: number;
  sha1: string;
  size: number;
  /** This call stored the text: no revision can have had it before (a revert finds it stored). */
  stored: boolean;
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
 * Hash a text for put() (pure): done before the save's write transaction, in the text process for a
 * long text, so the transaction only writes. The bytes stay raw: put() queues a text worth
 * compressing in content_fresh and the background packer deflates it (compressQueued), unless a
 * newer revision replaces it first and it becomes a delta. Deflating an article in the save was a
 * fifth of the save's time on the request's thread.
 */
export function packText(text: string): PackedText {
  const bytes = Buffer.from(text, 'utf8');
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  return { sha1, size: bytes.length, encoding: 'raw', data: bytes };
}

/** A deflate dictionary (dictionary.ts) as the store holds it. */
interface Dictionary {
  id: number;
  data: Buffer;
  trainedAt: number;
}

/** A whole text as stored: raw, or deflated (with a dictionary when `dictionaryId` is set). */
interface Encoded {
  encoding: 'raw' | 'deflate';
  data: Buffer;
  dictionaryId: number | null;
}

/** Bytes as stored: deflated (with `dictionary` when given) when that pays. */
function packBytes(bytes: Buffer, dictionary?: Dictionary): Encoded {
  if (bytes.length < COMPRESS_FROM) return { encoding: 'raw', data: bytes, dictionaryId: null };
  const deflated = dictionary ? deflateRawSync(bytes, { dictionary: dictionary.data }) : deflateRawSync(bytes);
  return deflated.length < bytes.length
    ? { encoding: 'deflate', data: deflated, dictionaryId: dictionary?.id ?? null }
    : { encoding: 'raw', data: bytes, dictionaryId: null };
}

/** A new dictionary is trained once the wiki holds this many times the texts the last one saw. */
const RETRAIN_GROWTH = 8;

/** Texts shorter than this are never stored as deltas: the row costs more than a delta would save. */
const PACK_FROM = 256;
/**
 * The longest run of deltas between a stored text and a whole one. Each step reads one row and
 * applies one delta (about 10 µs for an article), so the oldest revision of a long history costs a
 * third of a millisecond more than the latest; a whole text every 33 revisions costs an article
 * about 70 bytes a revision.
 */
export const MAX_CHAIN = 32;
/** A chain longer than this cannot have been written by this module: the database is damaged. */
const CHAIN_LIMIT = 4 * MAX_CHAIN;

/** Texts deflated by planCompress, for applyCompress to write. */
export interface CompressPlan {
  /** The last queued content id looked at (undefined: the queue was empty): applyCompress takes the queue up to it. */
  lastId: number | undefined;
  /** `dictionaryId` null: deflated without one; 0: with `trained`, which applyCompress stores first. */
  rows: Array<{ id: number; data: Buffer; dictionaryId: number | null }>;
  /** A dictionary trained for this plan, not yet stored. */
  trained?: { data: Buffer; trainedAt: number };
}

/** Deltas worked out by planPacks, for applyPacks to write. */
export interface PackPlan {
  /** The last queue entry looked at (undefined: the queue was empty): applyPacks takes the queue up to it. */
  lastSeq: number | undefined;
  /** Queue entries looked at. */
  looked: number;
  deltas: Array<{ seq: number; id: number; baseId: number; pageId: number; delta: Buffer }>;
}

/** What packQueued() did: texts now stored as deltas, queued texts left whole, and how many are still queued. */
export interface PackResult {
  packed: number;
  kept: number;
  queued: number;
  /** Since this store was made: texts left whole because their delta failed (see deltaOf). */
  failed: number;
}

interface StoredRow {
  encoding: string;
  data: Buffer;
  base_id: number | null;
  dictionary_id: number | null;
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
  private readonly promoteStmt;
  private readonly queueStmt;
  private readonly dequeueStmt;
  private readonly queuedStmt;
  private readonly packRowStmt;
  private readonly latestStmt;
  private readonly storeDeltaStmt;
  private readonly lengthenStmt;
  private readonly laterStmt;
  private readonly anyQueuedStmt;
  private readonly stateStmt;

  private readonly inRead;
  private readonly freshStmt;
  private readonly freshRowsStmt;
  private readonly compressStmt;
  private readonly unfreshStmt;
  private readonly freshCountStmt;
  private readonly anyFreshStmt;
  private readonly dictionaryStmt;
  private readonly newestDictionaryStmt;
  private readonly storeDictionaryStmt;
  private readonly lastContentStmt;
  private readonly pageEndsStmt;
  private readonly samplePageStmt;
  private readonly dictionaries = new Map<number, Buffer>();
  /** The newest dictionary this store knows of (undefined: not looked up yet; null: there is none). */
  private newest: Dictionary | null | undefined;
  /** The highest content id when training last found too few texts: not tried again until the wiki grows. */
  private untrainedAt = 0;

  constructor(private readonly db: Db) {
    this.inRead = db.transaction((fn: () => Buffer) => fn());
    this.verifyStmt = db.prepare<[number, number], ContentRow>('SELECT id, lower(hex(sha1)) AS sha1, size, encoding, data, base_id, dictionary_id FROM content WHERE id > ? ORDER BY id LIMIT ?');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM content');
    this.bySha1 = db.prepare<[string], { id: number; size: number; base_id: number | null }>('SELECT id, size, base_id FROM content WHERE sha1 = unhex(?)');
    this.insert = db.prepare('INSERT INTO content (sha1, size, encoding, data) VALUES (unhex(?), ?, ?, ?)');
    this.byId = db.prepare<[number], StoredRow>('SELECT encoding, data, base_id, dictionary_id FROM content WHERE id = ?');
    this.promoteStmt = db.prepare('UPDATE content SET base_id = NULL, encoding = ?, data = ?, dictionary_id = ? WHERE id = ?');
    this.queueStmt = db.prepare<[number], { seq: number; content_id: number; base_id: number; page_id: number }>(
      'SELECT seq, content_id, base_id, page_id FROM content_pack ORDER BY seq LIMIT ?',
    );
    this.dequeueStmt = db.prepare('DELETE FROM content_pack WHERE seq <= ?');
    this.queuedStmt = db.prepare<[], number>('SELECT count(*) FROM content_pack').pluck();
    this.packRowStmt = db.prepare<[number], StoredRow & { size: number; chain: number }>(
      'SELECT size, encoding, data, base_id, dictionary_id, chain FROM content WHERE id = ?',
    );
    this.latestStmt = db.prepare<[number], number>('SELECT r.content_id FROM page p JOIN revision r ON r.id = p.latest_id WHERE p.id = ?').pluck();
    this.storeDeltaStmt = db.prepare('UPDATE content SET base_id = ?, encoding = ?, data = ?, dictionary_id = NULL WHERE id = ? AND base_id IS NULL');
    this.lengthenStmt = db.prepare('UPDATE content SET chain = max(chain, ?) WHERE id = ?');
    this.stateStmt = db.prepare<[number], { base_id: number | null; chain: number }>('SELECT base_id, chain FROM content WHERE id = ?');
    this.anyQueuedStmt = db.prepare<[], number>('SELECT 1 FROM content_pack LIMIT 1').pluck();
    this.freshStmt = db.prepare('INSERT OR IGNORE INTO content_fresh (content_id) VALUES (?)');
    this.freshRowsStmt = db.prepare<[number], StoredRow & { id: number }>(
      'SELECT f.content_id AS id, c.encoding, c.data, c.base_id, c.dictionary_id FROM content_fresh f JOIN content c ON c.id = f.content_id ORDER BY f.content_id LIMIT ?',
    );
    // Whole rows only: one packed as a delta since the plan stays a delta. A whole row may be
    // written again in any whole form: its text never changes.
    this.compressStmt = db.prepare("UPDATE content SET encoding = 'deflate', data = ?, dictionary_id = ? WHERE id = ? AND base_id IS NULL");
    this.unfreshStmt = db.prepare('DELETE FROM content_fresh WHERE content_id <= ?');
    this.freshCountStmt = db.prepare<[], number>('SELECT count(*) FROM content_fresh').pluck();
    this.anyFreshStmt = db.prepare<[], number>('SELECT 1 FROM content_fresh LIMIT 1').pluck();
    this.laterStmt = db.prepare<[number, number], number>('SELECT 1 FROM content_pack WHERE content_id = ? AND seq > ?').pluck();
    this.dictionaryStmt = db.prepare<[number], Buffer>('SELECT data FROM content_dictionary WHERE id = ?').pluck();
    this.newestDictionaryStmt = db.prepare<[], { id: number; trainedAt: number }>(
      'SELECT id, trained_at AS trainedAt FROM content_dictionary ORDER BY id DESC LIMIT 1',
    );
    this.storeDictionaryStmt = db.prepare('INSERT INTO content_dictionary (data, trained_at) VALUES (?, ?)');
    this.lastContentStmt = db.prepare<[], number | null>('SELECT max(id) FROM content').pluck();
    // The newest text of the first page with a revision from a page id on (along revision_page):
    // SAMPLE_TEXTS such lookups spread over the page ids sample that many different pages.
    this.pageEndsStmt = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(id) AS lo, max(id) AS hi FROM page');
    this.samplePageStmt = db.prepare<[number], { pageId: number; contentId: number; size: number }>(
      `SELECT p.id AS pageId, r.content_id AS contentId, r.size FROM page p
       JOIN revision r ON r.id = (SELECT id FROM revision WHERE page_id = p.id ORDER BY id DESC LIMIT 1)
       WHERE p.id >= ? ORDER BY p.id LIMIT 1`,
    );
  }

  /**
   * Store a text (or the same packed by packText), or find it when the same text is already stored
   * (a revert stores nothing new). A text found stored as a delta is stored whole again: it is
   * about to be some page's latest text, which is read in one step.
   */
  put(text: string | PackedText): StoredContent {
    const p = typeof text === 'string' ? packText(text) : text;
    const found = this.bySha1.get(p.sha1);
    if (found) {
      if (found.base_id !== null) this.promote(found.id);
      return { id: found.id, sha1: p.sha1, size: found.size, stored: false };
    }
    // Packed in the text process, the bytes arrive as a plain Uint8Array: seen as a Buffer, not copied.
    const data = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength);
    const info = this.insert.run(p.sha1, p.size, p.encoding, data);
    const id = Number(info.lastInsertRowid);
    if (p.encoding === 'raw' && p.size >= COMPRESS_FROM) this.freshStmt.run(id);
    return { id, sha1: p.sha1, size: p.size, stored: true };
  }

  /**
   * Store a delta row whole. Rows that were packed against it keep their chains: its `chain` still
   * bounds them, and it no longer hangs from its own base.
   */
  private promote(id: number): void {
    const whole = packBytes(this.bytesOf(id), this.newestDictionary());
    this.promoteStmt.run(whole.encoding, whole.data, whole.dictionaryId, id);
  }

  /** The text of a content id. @throws when the id is unknown: revisions always point at stored content. */
  get(id: number): string {
    const hit = this.cache.get(id);
    if (hit !== undefined) {
      this.cache.delete(id);
      this.cache.set(id, hit);
      return hit;
    }
    const text = this.bytesOf(id, (base) => this.cache.get(base)).toString('utf8');
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

  /**
   * The bytes of a content id: its row, or its run of deltas applied to the whole text the run ends
   * at (or to a text `known` already holds, met on the way: the newer revision a diff just read).
   */
  private bytesOf(id: number, known?: (id: number) => string | Buffer | undefined): Buffer {
    const first = this.row(id);
    if (first.base_id === null) return this.decode(first);
    // A run of rows: read in one read transaction (in WAL mode each statement outside one begins
    // and ends its own, which cost as much again as the lookup).
    return this.db.inTransaction ? this.walk(id, first, known) : this.inRead.deferred(() => this.walk(id, first, known));
  }

  private walk(id: number, first: StoredRow, known?: (id: number) => string | Buffer | undefined): Buffer {
    const deltas: StoredRow[] = [];
    let row = first;
    let base: Buffer | undefined;
    while (row.base_id !== null) {
      deltas.push(row);
      if (deltas.length > CHAIN_LIMIT) throw new Error(`content ${id} is more than ${CHAIN_LIMIT} deltas from a whole text`);
      const held = known?.(row.base_id);
      if (held !== undefined) {
        base = typeof held === 'string' ? Buffer.from(held, 'utf8') : held;
        break;
      }
      row = this.row(row.base_id);
    }
    let bytes = base ?? this.decode(row);
    for (let i = deltas.length - 1; i >= 0; i--) bytes = applyDelta(bytes, this.decode(deltas[i]!));
    return bytes;
  }

  private row(id: number): StoredRow {
    const row = this.byId.get(id);
    if (!row) throw new Error(`content ${id} is missing`);
    return row;
  }

  /** Forget cached texts (after a rollback, when content ids may be handed out again). */
  clearCache(): void {
    this.cache.clear();
    this.cachedChars = 0;
    this.dictionaries.clear();
    this.newest = undefined;
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
    return this.bytesOf(id).toString('utf8');
  }

  /**
   * Store up to `limit` queued texts (content_pack, oldest first) as deltas against the texts that
   * replaced them: planPacks then applyPacks, in the caller's transaction.
   */
  packQueued(limit: number): PackResult {
    return this.applyPacks(this.planPacks(limit));
  }

  /**
   * Work out the deltas of up to `limit` queued texts (oldest first), stopping early once
   * `maxBytes` of text were looked at. Reads only, so it needs no lock: a running wiki's packer
   * does this outside its write transaction, which then only writes (applyPacks). A megabyte-long
   * text takes tens of milliseconds to delta, and every save would have waited on the lock for it.
   * A text stays whole when it is short, when a page has it as its latest text again (a revert),
   * when it was replaced again later (it is packed against its last successor then), when its
   * base is no longer whole, when a delta would make a run longer than MAX_CHAIN, or when the
   * delta would not be smaller. Every delta is applied once and must give back the very bytes it
   * replaces; one that does not is counted in `failed` and its text stays whole.
   */
  planPacks(limit: number, maxBytes = Infinity): PackPlan {
    const queue = this.queueStmt.all(limit);
    const plan: PackPlan = { lastSeq: undefined, looked: 0, deltas: [] };
    let bytes = 0;
    for (const q of queue) {
      plan.lastSeq = q.seq;
      plan.looked++;
      if (this.laterStmt.get(q.content_id, q.seq) !== undefined) continue;
      const row = this.packRowStmt.get(q.content_id);
      if (!row || row.base_id !== null || row.size < PACK_FROM || row.chain >= MAX_CHAIN || q.content_id === q.base_id) continue;
      if (this.latestStmt.get(q.page_id) === q.content_id) continue;
      const base = this.packRowStmt.get(q.base_id);
      if (!base || base.base_id !== null) continue;
      bytes += row.size + base.size;
      const delta = this.deltaOf(base, row);
      if (delta === undefined) this.failed++;
      // Kept raw: a delta is mostly copies, a few dozen bytes, and Node's inflate costs about 50 µs a
      // call whatever the size, which every step of a read back through the history would pay.
      else if (delta.length < row.data.length) plan.deltas.push({ seq: q.seq, id: q.content_id, baseId: q.base_id, pageId: q.page_id, delta });
      if (bytes >= maxBytes) break;
    }
    return plan;
  }

  /**
   * Write what planPacks worked out and take its entries off the queue. Call inside a write
   * transaction. Each row is checked again first (texts never change, but a row may have been
   * packed, stored whole again or become a page's latest since the plan).
   */
  applyPacks(plan: PackPlan): PackResult {
    let packed = 0;
    for (const p of plan.deltas) {
      const row = this.stateStmt.get(p.id);
      const base = this.stateStmt.get(p.baseId);
      if (!row || row.base_id !== null || row.chain >= MAX_CHAIN || !base || base.base_id !== null) continue;
      if (this.latestStmt.get(p.pageId) === p.id || this.laterStmt.get(p.id, p.seq) !== undefined) continue;
      this.storeDeltaStmt.run(p.baseId, 'raw', p.delta, p.id);
      this.lengthenStmt.run(row.chain + 1, p.baseId);
      packed++;
    }
    if (plan.lastSeq !== undefined) this.dequeueStmt.run(plan.lastSeq);
    return { packed, kept: plan.looked - packed, queued: this.queuedStmt.get()!, failed: this.failed };
  }

  /**
   * Deflate up to `limit` texts saves stored raw (content_fresh, in id order), stopping early once
   * `maxBytes` were deflated. Reads only, like planPacks: the packer deflates outside its write
   * transaction. A text already stored as a delta, or that deflate would not make smaller, stays as it is.
   */
  planCompress(limit: number, maxBytes = Infinity): CompressPlan {
    const plan: CompressPlan = { lastId: undefined, rows: [] };
    const rows = this.freshRowsStmt.all(limit);
    if (rows.length === 0) return plan;
    const dictionary = this.dictionaryFor(plan);
    let bytes = 0;
    for (const row of rows) {
      plan.lastId = row.id;
      // Already deflated with the newest dictionary, or a delta now: nothing to gain.
      if (row.base_id !== null || (row.encoding === 'deflate' && (row.dictionary_id ?? -1) === (dictionary?.id ?? -1))) continue;
      const text = this.decode(row);
      const deflated = dictionary ? deflateRawSync(text, { dictionary: dictionary.data }) : deflateRawSync(text);
      if (deflated.length < row.data.length) plan.rows.push({ id: row.id, data: deflated, dictionaryId: dictionary ? dictionary.id : null });
      bytes += text.length;
      if (bytes >= maxBytes) break;
    }
    return plan;
  }

  /**
   * The dictionary a compression uses: the newest stored one, or one trained now from a sample of
   * the wiki's latest texts when there is none yet, or the wiki has grown RETRAIN_GROWTH times
   * since it was made (then put in `plan.trained`, id 0 until applyCompress stores it). Undefined
   * while the wiki has too few texts to train on.
   */
  private dictionaryFor(plan: CompressPlan): Dictionary | undefined {
    this.newest = undefined; // another process may have trained one
    const newest = this.newestDictionary();
    const last = this.lastContentStmt.get() ?? 0;
    const due = newest ? last >= newest.trainedAt * RETRAIN_GROWTH : last >= this.untrainedAt * RETRAIN_GROWTH;
    if (!due) return newest;
    const data = trainDictionary(this.sampleTexts());
    if (!data) {
      this.untrainedAt = Math.max(1, last);
      return newest;
    }
    plan.trained = { data, trainedAt: last };
    return { id: 0, data, trainedAt: last };
  }

  /**
   * The newest texts of up to SAMPLE_TEXTS pages spread evenly over the page ids, one text a page:
   * a phrase the dictionary takes from several samples is then in several pages, never only in the
   * versions of one (dictionary.ts). Each is the newest revision's text, whole or a short run away.
   */
  private sampleTexts(): string[] {
    const ends = this.pageEndsStmt.get();
    if (!ends || ends.lo === null || ends.hi === null) return [];
    const out: string[] = [];
    let next = ends.lo;
    const step = Math.max(1, (ends.hi - ends.lo + 1) / SAMPLE_TEXTS);
    for (let at = ends.lo; at <= ends.hi && out.length < SAMPLE_TEXTS; at += step) {
      const hit = this.samplePageStmt.get(Math.max(Math.floor(at), next));
      if (!hit) break;
      next = hit.pageId + 1;
      if (hit.size >= COMPRESS_FROM) out.push(this.read(hit.contentId));
    }
    return out;
  }

  /** The newest stored dictionary, or undefined when there is none. */
  private newestDictionary(): Dictionary | undefined {
    if (this.newest === undefined) {
      const found = this.newestDictionaryStmt.get();
      this.newest = found ? { ...found, data: this.dictionary(found.id) } : null;
    }
    return this.newest ?? undefined;
  }

  /** A stored dictionary's bytes. @throws when a row names one that is not stored (a damaged database). */
  private dictionary(id: number): Buffer {
    let data = this.dictionaries.get(id);
    if (data === undefined) {
      data = this.dictionaryStmt.get(id);
      if (data === undefined) throw new Error(`deflate dictionary ${id} is missing`);
      this.dictionaries.set(id, data);
    }
    return data;
  }

  /** A row's own bytes: a whole text, or a delta. */
  private decode(row: { encoding: string; data: Buffer; dictionary_id: number | null }): Buffer {
    if (row.encoding !== 'deflate') return row.data;
    return row.dictionary_id === null ? inflateRawSync(row.data) : inflateRawSync(row.data, { dictionary: this.dictionary(row.dictionary_id) });
  }

  /**
   * The delta that gives `row`'s bytes from `base`'s, checked by applying it; undefined when either
   * cannot be decoded or the check fails. Such a text simply stays whole: a failure here must never
   * stop the queue behind it, nor be retried every round.
   */
  private deltaOf(base: StoredRow, row: StoredRow): Buffer | undefined {
    try {
      const baseBytes = this.decode(base);
      const bytes = this.decode(row);
      const delta = makeDelta(baseBytes, bytes);
      return applyDelta(baseBytes, delta).equals(bytes) ? delta : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Write what planCompress worked out and take its texts off the queue; returns how many texts
   * still wait. Call inside a write transaction. A row packed as a delta since the plan is left so.
   */
  applyCompress(plan: CompressPlan): number {
    let trainedId: number | null = null;
    if (plan.trained) {
      trainedId = Number(this.storeDictionaryStmt.run(plan.trained.data, plan.trained.trainedAt).lastInsertRowid);
      // Read back from the database when next needed: this transaction may yet roll back.
      this.newest = undefined;
    }
    for (const r of plan.rows) this.compressStmt.run(r.data, r.dictionaryId === 0 ? trainedId : r.dictionaryId, r.id);
    if (plan.lastId !== undefined) this.unfreshStmt.run(plan.lastId);
    return this.freshCountStmt.get()!;
  }

  /** Whether any text waits to be compressed: a read, so an idle packer takes no write lock. */
  anyFresh(): boolean {
    return this.anyFreshStmt.get() !== undefined;
  }

  /** How many texts wait to be compressed. */
  freshCount(): number {
    return this.freshCountStmt.get()!;
  }

  /** planCompress then applyCompress, in the caller's transaction (tools that write in bulk). */
  compressQueued(limit: number): number {
    return this.applyCompress(this.planCompress(limit));
  }

  /** Texts left whole because their delta could not be made or did not give them back (a bug: packing never retries them). */
  private failed = 0;

  /** How many replaced texts wait to be packed. */
  queued(): number {
    return this.queuedStmt.get()!;
  }

  /** Whether any replaced text waits to be packed: a read, so an idle packer takes no write lock. */
  anyQueued(): boolean {
    return this.anyQueuedStmt.get() !== undefined;
  }

  /**
   * Check up to `limit` stored texts with ids above `afterId`, in id order: each must decode (its
   * run of deltas too), have its recorded size and hash to its own sha1. `lastId` is where to
   * continue; undefined when done.
   */
  verify(afterId: number, limit: number): { lastId: number | undefined; checked: number; bad: BadContent[] } {
    const rows = this.verifyStmt.all(afterId, limit);
    const bad: BadContent[] = [];
    // Texts decoded in this batch: the bases of its deltas are mostly its own rows.
    const seen = new Map<number, Buffer>();
    for (const row of rows) {
      const problem = this.contentProblem(row, seen);
      if (problem) bad.push({ id: row.id, sha1: row.sha1, problem });
    }
    return { lastId: rows.at(-1)?.id, checked: rows.length, bad };
  }

  /** What is wrong with a stored text, or undefined when it is intact. */
  private contentProblem(row: ContentRow, seen: Map<number, Buffer>): string | undefined {
    let bytes: Buffer;
    try {
      if (!Buffer.isBuffer(row.data)) return 'its data is not a blob';
      bytes = row.base_id === null ? this.decode(row) : this.bytesOf(row.id, (id) => seen.get(id));
    } catch (e) {
      return `its ${row.base_id === null ? row.encoding : 'delta'} data cannot be decoded (${(e as Error).message})`;
    }
    seen.set(row.id, bytes);
    const actual = createHash('sha1').update(bytes).digest('hex');
    if (actual !== row.sha1) return `its text hashes to ${actual}, not to its sha1 ${row.sha1}`;
    if (bytes.length !== row.size) return `its text is ${bytes.length} bytes, not its recorded ${row.size}`;
    return undefined;
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

interface ContentRow extends StoredRow {
  id: number;
  sha1: string;
  size: number;
}
