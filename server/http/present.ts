/** Domain objects → the JSON shapes of SPEC section 5. The only place those shapes are written. */
import type { NotificationItem } from '../wiki/notifications.js';
import type { Page, Revision } from '../wiki/types.js';
import type { EditConflictError } from '../wiki/errors.js';
import type { Right } from '../wiki/rights.js';

/** What the viewer may do (the request's Can): presenters ask it, never the viewer's role. */
export type ViewerCan = (right: Right) => boolean;

/** `{ip}` for an edit by a temporary account, when the viewer may see addresses (SPEC section 5); else nothing. */
function ipJson(r: Revision, can: ViewerCan): { ip?: string } {
  return r.actor.kind === 'temp' && r.ip && can('view-ip') ? { ip: r.ip } : {};
}

/** The risk score and its reasons for patrollers; `risk: null` for everyone else (the shape stays). */
function riskJson(r: Revision, can: ViewerCan): { risk: number | null; risk_reasons?: string[] } {
  return can('patrol') ? { risk: r.risk, risk_reasons: r.riskReasons } : { risk: null };
}
import type { Comparison } from '../wiki/diff.js';
import type { BlameBlock } from '../wiki/blame.js';
import type { Block, LogEntry } from '../db/admin.js';

export function userJson(a: { id: number; name: string }): { id: number; name: string } {
  return { id: a.id, name: a.name };
}

/** The page object: identity, latest revision and its source. */
export function pageJson(page: Page, latest: Revision, source: string) {
  return {
    id: page.id,
    key: page.title.key,
    title: page.title.text,
    latest: { id: latest.id, timestamp: latest.timestamp },
    content_model: 'markdown' as const,
    source,
  };
}

/** A revision as listed in history and recent changes (no source). */
export function revisionSummaryJson(r: Revision, can: ViewerCan) {
  return {
    id: r.id,
    timestamp: r.timestamp,
    minor: r.minor,
    size: r.size,
    delta: r.size - r.parentSize,
    comment: r.comment,
    user: userJson(r.actor),
    tags: r.tags,
    ...ipJson(r, can),
  };
}

export function revisionJson(r: Revision, page: Page, source: string, can: ViewerCan) {
  const { id, ...rest } = revisionSummaryJson(r, can);
  return {
    id,
    page: { id: page.id, title: page.title.text },
    parent_id: r.parentId,
    ...rest,
    sha1: r.sha1,
    source,
  };
}

export function compareJson(fromId: number, toId: number, c: Comparison) {
  return {
    from: { id: fromId },
    to: { id: toId },
    diff: c.entries,
    ...(c.coarse ? { coarse: true, note: c.note } : {}),
  };
}

export function blameJson(rev: Revision, blocks: BlameBlock[]) {
  return {
    revision: { id: rev.id },
    blocks: blocks.map((b) => ({
      from_line: b.fromLine,
      lines: b.lines,
      revision: { id: b.revision.id, timestamp: b.revision.timestamp, user: userJson(b.revision.actor) },
    })),
  };
}

export function blockJson(b: Block) {
  return {
    id: b.id, target: b.target, expiry: b.expiry ?? 'infinite', reason: b.reason, timestamp: b.createdAt,
    by: b.byName ?? null, anon_only: b.anonOnly, autoblock: b.autoblock, allow_usertalk: b.allowUsertalk,
    // An autoblock names the account block it comes from; its address is never in the list (as MediaWiki hides it).
    ...(b.parentId !== null ? { autoblock_of: b.parentId } : {}),
  };
}

export function logJson(e: LogEntry) {
  return { id: e.id, type: e.type, action: e.action, timestamp: e.timestamp, user: userJson(e.actor), target: e.target, reason: e.reason, details: e.details };
}

/** A row of recent changes (SPEC section 5). */
export function changeJson(r: Revision, page: Page, can: ViewerCan) {
  return {
    revision_id: r.id,
    page: { id: page.id, title: page.title.text },
    timestamp: r.timestamp,
    user: userJson(r.actor),
    comment: r.comment,
    minor: r.minor,
    size: r.size,
    delta: r.size - r.parentSize,
    tags: r.tags,
    new_page: r.parentId === null,
    ...riskJson(r, can),
    patrolled: r.patrolled,
    ...ipJson(r, can),
  };
}

/** A page in a list (links here, title search): `{id, key, title}`. */
export function pageRefJson(p: { id: number; title: { key: string; text: string } }) {
  return { id: p.id, key: p.title.key, title: p.title.text };
}

/** A full-text search hit; `excerpt` is HTML with the matches in <mark>. */
export function searchHitJson(hit: { id: number; title: string; excerpt: string }) {
  return { id: hit.id, key: hit.title.replace(/ /g, '_'), title: hit.title, excerpt: hit.excerpt };
}

/**
 * The 409 of a save that overlaps a later edit: the error, the base it started from and the
 * current text, so the client can merge by hand. `message` replaces the error's own (undo and
 * restore say what to do instead).
 */
export function conflictJson(e: EditConflictError, message = e.message) {
  return { error: { code: e.code, message }, base: e.baseId, current: { id: e.current.id, source: e.current.source } };
}

/** A notification (SPEC section 11). */
export function notificationJson(n: NotificationItem) {
  return { type: n.type, title: n.title, revision: n.revisionId, user: userJson({ id: n.userId, name: n.userName }), timestamp: n.timestamp, read: n.read };
}
