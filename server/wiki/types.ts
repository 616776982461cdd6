/** The domain's record types. Stored things carry ids; unsaved things are separate types. */
import type { Title } from './title.js';

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

/** A revision about to be written: no id, timestamp or hash yet. */
export interface NewRevision {
  pageId: number;
  parentId: number | null;
  actorId: number;
  source: string;
  comment: string;
  minor: boolean;
  ip: string | null;
  timestamp?: string;
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
