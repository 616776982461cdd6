/**
 * What a wiki needs to move besides its pages: accounts with their roles, protections, blocks, the
 * public log and watchlists, read for `wiki export` and written by `wiki import`. Rows name
 * accounts and pages by name and title, never by id: ids differ between wikis. Writing is
 * idempotent: a record already here (the same account, block, log entry, watch) is left alone.
 */
import type { Db } from './connection.js';
import { livePage } from './live.js';
import type { ActorKind } from '../wiki/types.js';

export interface AccountRecord {
  kind: 'account';
  name: string;
  accountKind: ActorKind;
  role: 'user' | 'admin';
  createdAt: string;
  /** Only when the export was asked for them (--with-password-hashes). */
  passwordHash?: string;
}

export interface ProtectionRecord {
  kind: 'protection';
  title: string;
  level: 'semi' | 'full';
  expiry: string | null;
  reason: string;
  by: string;
  createdAt: string;
}

export interface BlockRecord {
  kind: 'block';
  target: string;
  /** The blocked account's name, or null for an address or range block. */
  account: string | null;
  ip: string | null;
  rangeStart: string | null;
  rangeEnd: string | null;
  expiry: string | null;
  reason: string;
  by: string;
  createdAt: string;
  removedAt: string | null;
  /** The block's choices (SPEC section 11); absent in exports made before them, read as those blocks were: 0, 0, 1. */
  anonOnly?: boolean;
  autoblock?: boolean;
  allowUsertalk?: boolean;
}

export interface LogRecord {
  kind: 'log';
  type: string;
  action: string;
  timestamp: string;
  by: string;
  target: string;
  reason: string;
  details: string;
}

export interface WatchRecord {
  kind: 'watch';
  account: string;
  title: string;
  createdAt: string;
}

export type SiteRecord = AccountRecord | ProtectionRecord | BlockRecord | LogRecord | WatchRecord;

const LIVE = livePage('p');

/** Counts of what writeRecord added (records already here are not counted). */
export interface SiteAdded {
  accounts: number;
  protections: number;
  blocks: number;
  log: number;
  watches: number;
}

export class SiteDump {
  private readonly accounts;
  private readonly protections;
  private readonly blocks;
  private readonly logRows;
  private readonly watches;
  private readonly actorByName;
  private readonly pageByTitle;
  private readonly insertActor;
  private readonly setHash;
  private readonly upsertProtection;
  private readonly sameBlock;
  private readonly insertBlock;
  private readonly sameLog;
  private readonly insertLog;
  private readonly insertWatch;

  constructor(private readonly db: Db) {
    this.accounts = db.prepare<[], { name: string; kind: ActorKind; role: 'user' | 'admin'; created_at: string; password_hash: string | null }>(
      "SELECT name, kind, role, created_at, password_hash FROM actor WHERE kind <> 'system' ORDER BY id",
    );
    this.protections = db.prepare<[], { title: string; level: 'semi' | 'full'; expiry: string | null; reason: string; by: string; created_at: string }>(
      `SELECT p.title, pr.level, pr.expiry, pr.reason, a.name AS by, pr.created_at
       FROM protection pr JOIN page p ON p.id = pr.page_id JOIN actor a ON a.id = pr.actor_id WHERE ${LIVE} ORDER BY pr.page_id`,
    );
    // Autoblocks are left behind: they last a day, and hold an address only for the wiki that saw it used.
    this.blocks = db.prepare<[], Omit<BlockRecord, 'kind' | 'rangeStart' | 'rangeEnd' | 'createdAt' | 'removedAt' | 'anonOnly' | 'autoblock' | 'allowUsertalk'> & {
      range_start: string | null; range_end: string | null; created_at: string; removed_at: string | null; anon_only: number; autoblock: number; allow_usertalk: number;
    }>(
      `SELECT b.target, t.name AS account, b.ip, b.range_start, b.range_end, b.expiry, b.reason, a.name AS by, b.created_at, b.removed_at,
         b.anon_only, b.autoblock, b.allow_usertalk
       FROM block b LEFT JOIN actor t ON t.id = b.actor_id JOIN actor a ON a.id = b.by_actor WHERE b.parent_id IS NULL ORDER BY b.id`,
    );
    this.logRows = db.prepare<[], Omit<LogRecord, 'kind'>>(
      'SELECT l.type, l.action, l.timestamp, a.name AS by, l.target, l.reason, l.details FROM log l JOIN actor a ON a.id = l.actor_id ORDER BY l.id',
    );
    this.watches = db.prepare<[], { account: string; title: string; created_at: string }>(
      `SELECT a.name AS account, p.title, w.created_at FROM watchlist w JOIN actor a ON a.id = w.actor_id JOIN page p ON p.id = w.page_id
       WHERE ${LIVE} ORDER BY w.actor_id, w.page_id`,
    );
    this.actorByName = db.prepare<[string], { id: number; kind: ActorKind; password_hash: string | null }>('SELECT id, kind, password_hash FROM actor WHERE name = ?');
    this.pageByTitle = db.prepare<[string], { id: number }>(`SELECT id FROM page p WHERE title = ? AND ${LIVE}`);
    this.insertActor = db.prepare('INSERT INTO actor (name, kind, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.setHash = db.prepare('UPDATE actor SET password_hash = ? WHERE id = ? AND password_hash IS NULL');
    this.upsertProtection = db.prepare(
      `INSERT INTO protection (page_id, level, expiry, reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (page_id) DO UPDATE SET level = excluded.level, expiry = excluded.expiry, reason = excluded.reason,
         actor_id = excluded.actor_id, created_at = excluded.created_at WHERE excluded.created_at > protection.created_at`,
    );
    this.sameBlock = db.prepare<[string, string], number>('SELECT 1 FROM block WHERE target = ? AND created_at = ?').pluck();
    this.insertBlock = db.prepare(
      `INSERT INTO block (actor_id, ip, target, expiry, reason, by_actor, created_at, removed_at, range_start, range_end, anon_only, autoblock, allow_usertalk)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.sameLog = db.prepare<[string, string, string, string], number>('SELECT 1 FROM log WHERE type = ? AND action = ? AND timestamp = ? AND target = ?').pluck();
    this.insertLog = db.prepare('INSERT INTO log (type, action, timestamp, actor_id, target, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertWatch = db.prepare('INSERT OR IGNORE INTO watchlist (actor_id, page_id, created_at) VALUES (?, ?, ?)');
  }

  /** Every record, accounts first (the others name them), in a stable order. */
  *records(withPasswordHashes: boolean): Generator<SiteRecord> {
    for (const a of this.accounts.iterate()) {
      yield {
        kind: 'account', name: a.name, accountKind: a.kind, role: a.role, createdAt: a.created_at,
        ...(withPasswordHashes && a.password_hash ? { passwordHash: a.password_hash } : {}),
      };
    }
    for (const p of this.protections.all()) yield { kind: 'protection', title: p.title, level: p.level, expiry: p.expiry, reason: p.reason, by: p.by, createdAt: p.created_at };
    for (const b of this.blocks.all()) {
      yield {
        kind: 'block', target: b.target, account: b.account, ip: b.ip, rangeStart: b.range_start, rangeEnd: b.range_end,
        expiry: b.expiry, reason: b.reason, by: b.by, createdAt: b.created_at, removedAt: b.removed_at,
        anonOnly: b.anon_only === 1, autoblock: b.autoblock === 1, allowUsertalk: b.allow_usertalk === 1,
      };
    }
    for (const l of this.logRows.iterate()) yield { kind: 'log', ...l };
    for (const w of this.watches.iterate()) yield { kind: 'watch', account: w.account, title: w.title, createdAt: w.created_at };
  }

  /** The id of the account called `name`, or undefined. */
  accountId(name: string): number | undefined {
    return this.actorByName.get(name)?.id;
  }

  /** The kind of the account called `name` here, or undefined when there is none. */
  accountKind(name: string): ActorKind | undefined {
    return this.actorByName.get(name)?.kind;
  }

  /** Whether a live page has this title. */
  hasPage(title: string): boolean {
    return this.pageByTitle.get(title) !== undefined;
  }

  /**
   * Write one record (inside the caller's transaction). The names and titles it refers to must
   * exist here (an account record makes its account): the importer checks that first.
   */
  write(r: SiteRecord, added: SiteAdded): void {
    const actor = (name: string) => {
      const id = this.accountId(name);
      if (id === undefined) throw new Error(`no account "${name}" here`);
      return id;
    };
    const page = (title: string) => {
      const row = this.pageByTitle.get(title);
      if (!row) throw new Error(`no page "${title}" here`);
      return row.id;
    };
    switch (r.kind) {
      case 'account': {
        const here = this.actorByName.get(r.name);
        if (!here) {
          this.insertActor.run(r.name, r.accountKind, r.role, r.passwordHash ?? null, r.createdAt);
          added.accounts += 1;
        } else if (r.passwordHash) {
          // Made by the revision import without one: the export's hash lets its owner log in.
          this.setHash.run(r.passwordHash, here.id);
        }
        // The role is the export's for accounts it made; an admin here is never demoted by an import.
        if (r.role === 'admin') this.db.prepare("UPDATE actor SET role = 'admin' WHERE name = ?").run(r.name);
        return;
      }
      case 'protection':
        if (this.upsertProtection.run(page(r.title), r.level, r.expiry, r.reason, actor(r.by), r.createdAt).changes > 0) added.protections += 1;
        return;
      case 'block':
        if (this.sameBlock.get(r.target, r.createdAt) !== undefined) return;
        this.insertBlock.run(
          r.account === null ? null : actor(r.account), r.ip, r.target, r.expiry, r.reason, actor(r.by), r.createdAt, r.removedAt, r.rangeStart, r.rangeEnd,
          r.anonOnly === true ? 1 : 0, r.autoblock === true ? 1 : 0, r.allowUsertalk === false ? 0 : 1,
        );
        added.blocks += 1;
        return;
      case 'log':
        if (this.sameLog.get(r.type, r.action, r.timestamp, r.target) !== undefined) return;
        this.insertLog.run(r.type, r.action, r.timestamp, actor(r.by), r.target, r.reason, r.details);
        added.log += 1;
        return;
      case 'watch':
        if (this.insertWatch.run(actor(r.account), page(r.title), r.createdAt).changes > 0) added.watches += 1;
        return;
    }
  }
}
