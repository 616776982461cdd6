/** Single-use links sent by mail (password reset, address confirmation), kept by the hash of their secret. */
import type { Db } from './connection.js';

export type LinkPurpose = 'reset-password' | 'confirm-email';

export interface AccountLink {
  actorId: number;
  purpose: LinkPurpose;
  email: string;
  expiresAt: string;
  usedAt: string | null;
}

export class AccountLinkStore {
  private readonly insertStmt;
  private readonly byHashStmt;
  private readonly useStmt;
  private readonly dropStmt;
  private readonly pendingStmt;
  private readonly pruneStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT INTO account_link (hash, actor_id, purpose, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.byHashStmt = db.prepare<[Buffer], { actor_id: number; purpose: LinkPurpose; email: string; expires_at: string; used_at: string | null }>(
      'SELECT actor_id, purpose, email, expires_at, used_at FROM account_link WHERE hash = ?',
    );
    // Used only once: the update that marks it used is the check that it was not.
    this.useStmt = db.prepare('UPDATE account_link SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?');
    this.dropStmt = db.prepare('UPDATE account_link SET used_at = ? WHERE actor_id = ? AND purpose = ? AND used_at IS NULL');
    this.pendingStmt = db.prepare<[number, string], { email: string }>(
      `SELECT email FROM account_link WHERE actor_id = ? AND purpose = 'confirm-email' AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1`,
    );
    this.pruneStmt = db.prepare('DELETE FROM account_link WHERE expires_at < ?');
  }

  add(hash: Buffer, l: { actorId: number; purpose: LinkPurpose; email: string; now: string; expiresAt: string }): void {
    this.insertStmt.run(hash, l.actorId, l.purpose, l.email, l.now, l.expiresAt);
  }

  byHash(hash: Buffer): AccountLink | undefined {
    const r = this.byHashStmt.get(hash);
    return r && { actorId: r.actor_id, purpose: r.purpose, email: r.email, expiresAt: r.expires_at, usedAt: r.used_at };
  }

  /** Mark the link used; false when it was used already or has expired. */
  use(hash: Buffer, now: string): boolean {
    return this.useStmt.run(now, hash, now).changes === 1;
  }

  /** Every unused link of the account for `purpose` stops working (a newer one was sent, or the password changed). */
  dropAll(actorId: number, purpose: LinkPurpose, now: string): void {
    this.dropStmt.run(now, actorId, purpose);
  }

  /** The address the newest unexpired confirmation link was sent to, if any. */
  pendingEmail(actorId: number, now: string): string | undefined {
    return this.pendingStmt.get(actorId, now)?.email;
  }

  /** Forget links that expired before `before`. */
  prune(before: string): void {
    this.pruneStmt.run(before);
  }
}
