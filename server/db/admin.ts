/** Protection, blocks, deletions and the log: the stores behind the admin tools. */
import type { Db } from './connection.js';
// Type-only, from the leaf of record types: the rows map to the domain's records.
import type { Block, Deletion, LogEntry, LogType, Protection, ProtectionLevel } from '../wiki/types.js';

// Compatibility for importers of these types from here (http/, views/): they live in the leaf wiki/types.ts.
export type { Block, Deletion, LogEntry, LogType, Protection, ProtectionLevel } from '../wiki/types.js';

interface BlockRow {
  id: number;
  actor_id: number | null;
  ip: string | null;
  target: string;
  expiry: string | null;
  reason: string;
  by_actor: number;
  created_at: string;
  anon_only: number;
  autoblock: number;
  allow_usertalk: number;
  parent_id: number | null;
  by_name: string;
}

const toBlock = (r: BlockRow): Block => ({
  id: r.id, actorId: r.actor_id, ip: r.ip, target: r.target, expiry: r.expiry, reason: r.reason, byActor: r.by_actor, createdAt: r.created_at,
  anonOnly: r.anon_only === 1, autoblock: r.autoblock === 1, allowUsertalk: r.allow_usertalk === 1, parentId: r.parent_id, byName: r.by_name,
});

// Every read names the admin: the page a blocked person sees says who blocked them (SPEC section 11).
const BLOCK_COLUMNS = 'b.*, a.name AS by_name';

export class ProtectionStore {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(db: Db) {
    this.select = db.prepare<[number], Protection>('SELECT level, expiry, reason FROM protection WHERE page_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO protection (page_id, level, expiry, reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (page_id) DO UPDATE SET level = excluded.level, expiry = excluded.expiry, reason = excluded.reason,
       actor_id = excluded.actor_id, created_at = excluded.created_at`,
    );
    this.remove = db.prepare('DELETE FROM protection WHERE page_id = ?');
  }

  /** The page's protection in force at `now`; undefined when none or expired. */
  get(pageId: number, now: string): Protection | undefined {
    const p = this.select.get(pageId);
    return p && (p.expiry === null || p.expiry > now) ? p : undefined;
  }

  set(pageId: number, p: Protection, actorId: number, now: string): void {
    this.upsert.run(pageId, p.level, p.expiry, p.reason, actorId, now);
  }

  clear(pageId: number): void {
    this.remove.run(pageId);
  }
}

/** Sortable keys of a blocked address range (server/wiki/address.ts rangeKeys); an address is a range of one. */
export interface BlockRange {
  start: string;
  end: string;
}

export class BlockStore {
  private readonly insert;
  private readonly byActorStmt;
  private readonly byRangeStmt;
  private readonly byIdStmt;
  private readonly activeStmt;
  private readonly removeStmt;
  private readonly unkeyedStmt;
  private readonly setKeysStmt;
  private readonly childrenStmt;
  private readonly autoblockAtStmt;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO block (actor_id, ip, target, expiry, reason, by_actor, created_at, range_start, range_end, anon_only, autoblock, allow_usertalk, parent_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Expiries are ISO strings with four-digit years (wiki/expiry.ts), so text order is time order.
    const active = 'b.removed_at IS NULL AND (b.expiry IS NULL OR b.expiry > @now)';
    const from = 'FROM block b JOIN actor a ON a.id = b.by_actor';
    this.byActorStmt = db.prepare<{ actor: number; now: string }, BlockRow>(
      `SELECT ${BLOCK_COLUMNS} ${from} WHERE b.actor_id = @actor AND ${active} ORDER BY b.id DESC LIMIT 1`,
    );
    // range_start BETWEEN floor AND key reads only the stretch of the block_range index where a
    // range holding the address can start (migration 0006); range_end then picks those that reach it.
    // A registered account passes blocks of anonymous users only.
    this.byRangeStmt = db.prepare<{ floor: string; key: string; now: string; registered: number }, BlockRow>(
      `SELECT ${BLOCK_COLUMNS} FROM block b INDEXED BY block_range JOIN actor a ON a.id = b.by_actor
       WHERE b.range_start BETWEEN @floor AND @key AND b.range_end >= @key AND ${active} AND (b.anon_only = 0 OR @registered = 0)
       ORDER BY b.id DESC LIMIT 1`,
    );
    this.byIdStmt = db.prepare<[number], BlockRow>(`SELECT ${BLOCK_COLUMNS} ${from} WHERE b.id = ? AND b.removed_at IS NULL`);
    this.activeStmt = db.prepare<{ now: string; limit: number }, BlockRow>(`SELECT ${BLOCK_COLUMNS} ${from} WHERE ${active} ORDER BY b.id DESC LIMIT @limit`);
    this.childrenStmt = db.prepare<[number], { id: number }>('SELECT id FROM block WHERE parent_id = ? AND removed_at IS NULL');
    this.autoblockAtStmt = db.prepare<{ parent: number; ip: string; now: string }, { id: number }>(
      `SELECT b.id FROM block b WHERE b.parent_id = @parent AND b.ip = @ip AND ${active} LIMIT 1`,
    );
    this.removeStmt = db.prepare('UPDATE block SET removed_at = ? WHERE id = ? AND removed_at IS NULL');
    this.unkeyedStmt = db.prepare<[], { id: number; ip: string }>(
      'SELECT id, ip FROM block WHERE ip IS NOT NULL AND range_start IS NULL AND removed_at IS NULL',
    );
    this.setKeysStmt = db.prepare('UPDATE block SET ip = ?, range_start = ?, range_end = ? WHERE id = ?');
  }

  /**
   * Active address blocks made before migration 0006, which have no range keys yet: the domain
   * gives them theirs at start (wiki/admin.ts keyOlderBlocks), since the migration runner only runs SQL.
   */
  unkeyed(): Array<{ id: number; ip: string }> {
    return this.unkeyedStmt.all();
  }

  /** Give block `id` its canonical address and range keys. */
  setRange(id: number, ip: string, range: BlockRange): void {
    this.setKeysStmt.run(ip, range.start, range.end, id);
  }

  /** Store a block; `range` is required for an address or range block (`ip` set), absent for an account. */
  create(b: Omit<Block, 'id'>, range?: BlockRange): Block {
    const info = this.insert.run(
      b.actorId, b.ip, b.target, b.expiry, b.reason, b.byActor, b.createdAt, range?.start ?? null, range?.end ?? null,
      b.anonOnly ? 1 : 0, b.autoblock ? 1 : 0, b.allowUsertalk ? 1 : 0, b.parentId,
    );
    return { ...b, id: Number(info.lastInsertRowid) };
  }

  /** Ids of the active autoblocks made from account block `parentId`. */
  children(parentId: number): number[] {
    return this.childrenStmt.all(parentId).map((r) => r.id);
  }

  /** Whether account block `parentId` already has an autoblock in force on address `ip` (canonical). */
  hasAutoblockAt(parentId: number, ip: string, now: string): boolean {
    return this.autoblockAtStmt.get({ parent: parentId, ip, now }) !== undefined;
  }

  /**
   * The newest block in force at `now` on this account, else on a range holding this address
   * (`address` from wiki/address.ts lookupKeys); undefined when there is none.
   */
  activeFor(actorId: number | undefined, address: { key: string; floor: string } | undefined, now: string, registered = false): Block | undefined {
    const byActor = actorId !== undefined ? this.byActorStmt.get({ actor: actorId, now }) : undefined;
    const byRange = !byActor && address ? this.byRangeStmt.get({ floor: address.floor, key: address.key, now, registered: registered ? 1 : 0 }) : undefined;
    const row = byActor ?? byRange;
    return row && toBlock(row);
  }

  /** undefined when there is no such block, or it was lifted. */
  byId(id: number): Block | undefined {
    const r = this.byIdStmt.get(id);
    return r && toBlock(r);
  }

  active(now: string, limit: number): Block[] {
    return this.activeStmt.all({ now, limit }).map(toBlock);
  }

  remove(id: number, now: string): boolean {
    return this.removeStmt.run(now, id).changes === 1;
  }
}

export class LogStore {
  private readonly insert;
  private readonly listAll;
  private readonly listType;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO log (type, action, timestamp, actor_id, target, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const select = `SELECT l.id, l.type, l.action, l.timestamp, l.actor_id, a.name AS actor_name, l.target, l.reason, l.details
      FROM log l JOIN actor a ON a.id = l.actor_id`;
    this.listAll = db.prepare<[number, number], LogRow>(`${select} WHERE l.id < ? ORDER BY l.id DESC LIMIT ?`);
    this.listType = db.prepare<[string, number, number], LogRow>(`${select} WHERE l.type = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?`);
  }

  add(e: { type: LogType; action: string; actorId: number; target: string; reason: string; details?: Record<string, unknown>; timestamp: string }): void {
    this.insert.run(e.type, e.action, e.timestamp, e.actorId, e.target, e.reason, JSON.stringify(e.details ?? {}));
  }

  list(o: { type?: LogType; beforeId?: number; limit: number }): LogEntry[] {
    const before = o.beforeId ?? Number.MAX_SAFE_INTEGER;
    const rows = o.type ? this.listType.all(o.type, before, o.limit) : this.listAll.all(before, o.limit);
    return rows.map((r) => ({
      id: r.id, type: r.type, action: r.action, timestamp: r.timestamp, actor: { id: r.actor_id, name: r.actor_name },
      target: r.target, reason: r.reason, details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}

interface LogRow {
  id: number;
  type: LogType;
  action: string;
  timestamp: string;
  actor_id: number;
  actor_name: string;
  target: string;
  reason: string;
  details: string;
}

export class DeletionStore {
  private readonly insert;
  private readonly latestFor;
  private readonly restore;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO deletion (page_id, title, deleted_at, actor_id, reason) VALUES (?, ?, ?, ?, ?)');
    this.latestFor = db.prepare<[string], { id: number; page_id: number; title: string; deleted_at: string; reason: string }>(
      'SELECT id, page_id, title, deleted_at, reason FROM deletion WHERE title = ? AND restored_at IS NULL ORDER BY id DESC LIMIT 1',
    );
    this.restore = db.prepare('UPDATE deletion SET restored_at = ? WHERE id = ?');
  }

  add(pageId: number, title: string, actorId: number, reason: string, now: string): void {
    this.insert.run(pageId, title, now, actorId, reason);
  }

  /** The most recent deletion of this title not yet undone, if any. */
  latest(title: string): Deletion | undefined {
    const r = this.latestFor.get(title);
    return r && { id: r.id, pageId: r.page_id, title: r.title, deletedAt: r.deleted_at, reason: r.reason };
  }

  markRestored(id: number, now: string): void {
    this.restore.run(now, id);
  }
}
