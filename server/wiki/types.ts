/**
 * The domain's record types, and the change events of the feed. Stored things carry ids; unsaved
 * things are separate types. A leaf: the stores (db/) import these types, and nothing else of wiki/.
 */
import type { Title } from './title.js';

// So the stores import their types from this one leaf (db/pages.ts builds Titles from its rows).
export type { Namespace, Title } from './title.js';

export type ActorKind = 'user' | 'temp' | 'system';
export type Role = 'user' | 'admin';

export interface Actor {
  id: number;
  name: string;
  kind: ActorKind;
  role: Role;
  tokenVersion: number;
  editCount: number;
  createdAt: string;
}

export interface Page {
  id: number;
  title: Title;
  latestId: number;
  isRedirect: boolean;
  touched: number;
  createdAt: string;
}

/**
 * A revision about to be written: no id yet. Its text is already in the content store (contentId,
 * size and sha1 come from there); RevisionStore.insert turns it into a Revision.
 */
export interface NewRevision {
  pageId: number;
  parentId: number | null;
  actorId: number;
  contentId: number;
  comment: string;
  minor: boolean;
  size: number;
  sha1: string;
  timestamp: string;
  ip: string | null;
}

/** A stored, immutable revision. The text itself is loaded separately (it may be large). */
export interface Revision {
  id: number;
  pageId: number;
  parentId: number | null;
  actor: { id: number; name: string; kind: ActorKind };
  contentId: number;
  comment: string;
  minor: boolean;
  size: number;
  /** Size of the parent revision, 0 for a page's first revision. */
  parentSize: number;
  sha1: string;
  timestamp: string;
  ip: string | null;
  tags: string[];
  /** Risk score 0–100 given when saved, and why. */
  risk: number;
  riskReasons: string[];
  /** Whether an admin reviewed it (admins' own edits count as reviewed). */
  patrolled: boolean;
}

export type ProtectionLevel = 'semi' | 'full';

export interface Protection {
  level: ProtectionLevel;
  expiry: string | null;
  reason: string;
}

export interface Block {
  id: number;
  actorId: number | null;
  /** The blocked address or CIDR range in canonical form (wiki/address.ts); null for an account. */
  ip: string | null;
  target: string;
  expiry: string | null;
  reason: string;
  byActor: number;
  createdAt: string;
  /** An address or range block that stops only people without a registered account (temporary accounts included). */
  anonOnly: boolean;
  /** An account block that also blocks the addresses the account edits from (autoblocks, below). */
  autoblock: boolean;
  /** Whether the blocked person may still edit their own user talk page, to appeal. */
  allowUsertalk: boolean;
  /** Set on an autoblock: the account block whose last address this is. */
  parentId: number | null;
  /** The admin's name (joined in when read; absent on a block just made). */
  byName?: string;
}

export type LogType = 'protect' | 'block' | 'delete' | 'move' | 'rollback' | 'patrol';

export interface LogEntry {
  id: number;
  type: LogType;
  action: string;
  timestamp: string;
  actor: { id: number; name: string };
  target: string;
  reason: string;
  details: Record<string, unknown>;
}

export interface Deletion {
  id: number;
  pageId: number;
  title: string;
  deletedAt: string;
  reason: string;
}

/** What every change event carries. */
interface ChangeFacts {
  /** When the change was made (ISO). */
  timestamp: string;
  /** Who made it. */
  actorId: number;
  /**
   * Titles that came into or went out of existence with this change (created, deleted, undeleted,
   * moved from or to): links to them change colour, so pages linking to them must render again.
   * Empty when no title did.
   */
  linkColours: Title[];
}

/**
 * One committed change, as the feed (db/feed.ts) delivers it after its transaction commits. A
 * change that writes nothing (a null edit, a refused or failed write) has no event.
 * - `save`: a new revision (an edit, a new page, a section edit, a merged save, undo, restore,
 *   rollback, each page of a mass rollback, a move's redirect). `tags` are the revision's as stored.
 * - `delete` / `undelete`: the page with all its revisions left or came back; `revisionId` is its latest.
 * - `move`: the page now lives at `to`; with `redirect`, a `save` event for the redirect at `from` comes first.
 * - `protect`: `level` 'none' is an unprotect.
 * - `block` / `unblock`: an account, address or range (`target`, as logged).
 * - `patrol`: a revision newly marked reviewed.
 * - `import`: revisions added to a page from another wiki, oldest first; `actorId` is the newest one's author.
 */
export type ChangeEvent = ChangeFacts & (
  | { type: 'save'; pageId: number; title: Title; revisionId: number; parentId: number | null; created: boolean; merged: boolean; section: number | null; tags: string[] }
  | { type: 'delete'; pageId: number; title: Title; revisionId: number }
  | { type: 'undelete'; pageId: number; title: Title; revisionId: number }
  | { type: 'move'; pageId: number; from: Title; to: Title; redirect: boolean }
  | { type: 'protect'; pageId: number; title: Title; level: ProtectionLevel | 'none'; expiry: string | null }
  | { type: 'block'; blockId: number; target: string; expiry: string | null }
  | { type: 'unblock'; blockId: number; target: string }
  | { type: 'patrol'; revisionId: number; pageId: number }
  | { type: 'import'; pageId: number; title: Title; revisionIds: number[]; created: boolean }
);

export type ChangeType = ChangeEvent['type'];
