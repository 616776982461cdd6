/** Accounts: registered users, temporary accounts and the system account. */
import type { Db } from './connection.js';
// Type-only, from the leaf of record types: the rows map to the domain's records.
import type { Actor, ActorKind, Role } from '../wiki/types.js';

interface ActorRow {
  id: number;
  name: string;
  kind: ActorKind;
  role: Role;
  token_version: number;
  edit_count: number;
  created_at: string;
}

const COLUMNS = 'id, name, kind, role, token_version, edit_count, created_at';

function toActor(r: ActorRow): Actor {
  return { id: r.id, name: r.name, kind: r.kind, role: r.role, tokenVersion: r.token_version, editCount: r.edit_count, createdAt: r.created_at };
}

/** What an account keeps besides its name and role (SPEC section 11, /special/preferences). */
export interface Preferences {
  /** The verified address; null when none. */
  email: string | null;
  emailNotifications: boolean;
  watchEdited: boolean;
}

/** What the account has not read yet: the first unseen change to its user talk page, and the notifications cursor. */
export interface Unseen {
  talkUnread: number | null;
  notificationsSeen: number;
}

export class ActorStore {
  private readonly db: Db;
  private readonly prefsStmt;
  private readonly setPrefsStmt;
  private readonly setEmailStmt;
  private readonly byEmailStmt;
  private readonly unseenStmt;
  private readonly talkUnreadStmt;
  private readonly talkReadStmt;
  private readonly seenStmt;
  private readonly selectById;
  private readonly selectByName;
  private readonly insertStmt;
  private readonly countEdit;
  private readonly selectHash;
  private readonly updateHash;
  private readonly updateRole;
  private readonly bumpVersion;
  private readonly lastTemp;
  private readonly systemStmt;

  constructor(db: Db) {
    this.db = db;
    this.selectById = db.prepare<[number], ActorRow>(`SELECT ${COLUMNS} FROM actor WHERE id = ?`);
    this.selectByName = db.prepare<[string], ActorRow>(`SELECT ${COLUMNS} FROM actor WHERE name = ?`);
    this.insertStmt = db.prepare('INSERT INTO actor (name, kind, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.countEdit = db.prepare('UPDATE actor SET edit_count = edit_count + 1 WHERE id = ?');
    this.selectHash = db.prepare<[number], { password_hash: string | null }>('SELECT password_hash FROM actor WHERE id = ?');
    this.updateHash = db.prepare('UPDATE actor SET password_hash = ?, token_version = token_version + 1 WHERE id = ?');
    this.updateRole = db.prepare('UPDATE actor SET role = ? WHERE id = ?');
    this.bumpVersion = db.prepare('UPDATE actor SET token_version = token_version + 1 WHERE id = ?');
    this.prefsStmt = db.prepare<[number], { email: string | null; email_notifications: number; watch_edited: number }>(
      'SELECT email, email_notifications, watch_edited FROM actor WHERE id = ?',
    );
    this.setPrefsStmt = db.prepare('UPDATE actor SET email_notifications = ?, watch_edited = ? WHERE id = ?');
    this.setEmailStmt = db.prepare('UPDATE actor SET email = ? WHERE id = ?');
    this.byEmailStmt = db.prepare<[string, number], ActorRow>(`SELECT ${COLUMNS} FROM actor WHERE email = ? AND kind = 'user' ORDER BY id LIMIT ?`);
    this.unseenStmt = db.prepare<[number], { talk_unread: number | null; notifications_seen: number }>('SELECT talk_unread, notifications_seen FROM actor WHERE id = ?');
    this.talkUnreadStmt = db.prepare('UPDATE actor SET talk_unread = coalesce(talk_unread, ?) WHERE id = ?');
    this.talkReadStmt = db.prepare('UPDATE actor SET talk_unread = NULL WHERE id = ? AND talk_unread IS NOT NULL');
    this.seenStmt = db.prepare('UPDATE actor SET notifications_seen = max(notifications_seen, ?) WHERE id = ?');
    this.systemStmt = db.prepare<[], ActorRow>(`SELECT ${COLUMNS} FROM actor WHERE kind = 'system' ORDER BY id LIMIT 1`);
    // The newest temporary account of the year whose name ends in digits only: an imported one
    // may be named otherwise (~2026-imported), and its suffix is no number to count on from.
    this.lastTemp = db.prepare<{ prefix: string; from: number }, { name: string }>(
      `SELECT name FROM actor WHERE kind = 'temp' AND name GLOB @prefix || '[0-9]*'
         AND substr(name, @from) NOT GLOB '*[^0-9]*' ORDER BY id DESC LIMIT 1`,
    );
  }

  /** undefined when there is no such account. */
  byId(id: number): Actor | undefined {
    const r = this.selectById.get(id);
    return r && toActor(r);
  }

  /** undefined when there is no such account. */
  byName(name: string): Actor | undefined {
    const r = this.selectByName.get(name);
    return r && toActor(r);
  }

  create(name: string, kind: ActorKind, role: Role = 'user', passwordHash: string | null = null): Actor {
    const info = this.insertStmt.run(name, kind, role, passwordHash, new Date().toISOString());
    return this.byId(Number(info.lastInsertRowid))!;
  }

  /** A new temporary account named like ~2026-17: the year, then a number counting up within it. */
  createTemporary(now = new Date()): Actor {
    // IMMEDIATE: read the last name and insert the next under one write lock, so two worker
    // processes never pick the same name (inside a save's transaction this is a savepoint).
    return this.db.transaction(() => this.create(this.nextTemporaryName(now), 'temp')).immediate();
  }

  /**
   * The name the next temporary account made at `now` gets, if no other one is made first (a save
   * signs with it before its transaction; commitSave checks it still holds).
   */
  nextTemporaryName(now = new Date()): string {
    const year = now.getUTCFullYear();
    const prefix = `~${year}-`;
    const last = this.lastTemp.get({ prefix, from: prefix.length + 1 });
    let n = last ? Number(last.name.slice(prefix.length)) + 1 : 1;
    // Imported accounts (wiki import) arrive in any order, so a higher number may already exist.
    while (this.selectByName.get(`~${year}-${n}`)) n += 1;
    return `~${year}-${n}`;
  }

  /** The system account that writes starter content, made on first use. */
  system(): Actor {
    // By kind, not by name: a registered user can never stand in for the wiki itself.
    const found = this.systemStmt.get();
    if (found) return toActor(found);
    // Looked up again under the write lock: another process may be making it at this moment.
    return this.db.transaction(() => {
      const made = this.systemStmt.get();
      return made ? toActor(made) : this.create('Peerwiki', 'system', 'admin');
    }).immediate();
  }

  countEditOf(id: number): void {
    this.countEdit.run(id);
  }

  passwordHash(id: number): string | undefined {
    return this.selectHash.get(id)?.password_hash ?? undefined;
  }

  /** Set a new password hash; earlier tokens stop working. */
  setPasswordHash(id: number, hash: string): void {
    this.updateHash.run(hash, id);
  }

  setRole(id: number, role: Role): void {
    this.updateRole.run(role, id);
  }

  /** Make every earlier token of the account invalid. */
  revokeTokens(id: number): void {
    this.bumpVersion.run(id);
  }

  /** Defaults for an unknown account: nothing stored, pages edited watched. */
  preferences(id: number): Preferences {
    const r = this.prefsStmt.get(id);
    return { email: r?.email ?? null, emailNotifications: r?.email_notifications === 1, watchEdited: r ? r.watch_edited === 1 : true };
  }

  setPreferences(id: number, p: { emailNotifications: boolean; watchEdited: boolean }): void {
    this.setPrefsStmt.run(p.emailNotifications ? 1 : 0, p.watchEdited ? 1 : 0, id);
  }

  /** Set (or, with null, remove) the account's verified address. */
  setEmail(id: number, email: string | null): void {
    this.setEmailStmt.run(email, id);
  }

  /** Registered accounts whose verified address is `email` (compared as stored: lower case), at most `limit`. */
  byEmail(email: string, limit: number): Actor[] {
    return this.byEmailStmt.all(email, limit).map(toActor);
  }

  unseen(id: number): Unseen {
    const r = this.unseenStmt.get(id);
    return { talkUnread: r?.talk_unread ?? null, notificationsSeen: r?.notifications_seen ?? 0 };
  }

  /** Someone else changed the account's user talk page in `revisionId` (the first such unseen revision is kept). */
  markTalkUnread(id: number, revisionId: number): void {
    this.talkUnreadStmt.run(revisionId, id);
  }

  /** The owner has seen their user talk page; true when there was something unseen. */
  markTalkRead(id: number): boolean {
    return this.talkReadStmt.run(id).changes === 1;
  }

  /** Notifications up to revision `revisionId` are read (the cursor never goes back). */
  markNotificationsSeen(id: number, revisionId: number): void {
    this.seenStmt.run(revisionId, id);
  }
}
