/**
 * The write side: saving an edit against a named base revision. A stale base is merged three ways,
 * an overlap is a conflict, and an identical text is a null edit that writes nothing.
 * The slow part of a save (the merge, the index analysis, the tag and risk signals of the text)
 * reads only immutable rows, so it is done before the write transaction; inside it the page's latest
 * revision is checked again and the work redone only if someone saved in between.
 */
import { noteSave } from './notifications.js';
import type { Stores } from '../db/stores.js';
import type { TextWorkers } from './work/pool.js';
import { finishDeferredRows, finishDeferredRowsAsync, updateRows, type DeferredRows } from './links.js';
import { finishDeferredAuthors, finishDeferredAuthorsAsync, noteAuthors, type DeferredAuthors } from './blameSave.js';
import { sectionAnchor } from './markdown.js';
import { flushSearchQueue } from './searchQueue.js';
import { isCurrent, prepareSave, prepareSaveAsync, type PreparedSave, type SaveInput } from './prepareSave.js';
import { authorTags } from './tags.js';
import { canonicalAddress } from './address.js';
import { scoreRisk } from './risk.js';
import type { Actor, Page, Revision } from './types.js';

// What a save takes and how it is prepared live in prepareSave.ts; importers of edit.ts keep them here.
export { MAX_COMMENT_CHARS, MAX_SOURCE_BYTES, cutComment, isCurrent, normalizeSource, prepareSave, prepareSaveAsync } from './prepareSave.js';
export type { PreparedSave, SaveInput } from './prepareSave.js';

export interface SaveResult {
  status: 'saved' | 'nochange';
  page: Page;
  revision: Revision;
  /** The author; undefined only for a null edit by someone without an account yet. */
  actor: Actor | undefined;
  created: boolean;
  merged: boolean;
  /** The page's text after the save (the latest text on a null edit), so callers need not read it back. */
  text: string;
  /**
   * For a save of section K ≥ 1: the id of that section's heading in `text` (the URL fragment to
   * show it at); undefined for a whole-page save, section 0, or a section the text no longer has.
   */
  anchor?: string;
  /** Link rows and search entry too big for the save's transaction, written after it (wiki/links.ts); the save functions here finish them. */
  deferredRows?: DeferredRows;
  /** Line authorship too costly for the save's transaction, derived after it (wiki/blameSave.ts); the save functions here finish it. */
  deferredAuthors?: DeferredAuthors;
}

/**
 * Save an edit in one transaction: revision, latest pointer, links, categories, line authorship,
 * the search entry queued (what is too big for the transaction, and the queued search entries, are
 * written right after it; the async saves below leave the search entry to the next batch).
 * @throws PageExistsError (mode 'create' on an existing page), NotFoundError (base on a missing page
 *   in mode 'update', or an unknown base), InvalidInputError (base of another page, missing section),
 *   EditConflictError (overlapping edits; nothing written), TooLargeError (over 1 MiB).
 */
export function saveEdit(stores: Stores, input: SaveInput): SaveResult {
  return savePlanned(stores, () => ({ save: input }));
}

/** A save to make, and the latest revision it was worked out against when it depends on that. */
export interface SavePlan {
  save: SaveInput;
  /** Set when the plan holds only while this is the page's latest revision (undo, restore, rollback). */
  against?: number;
}

/**
 * Save what `plan` gives: planned and prepared before the write transaction, planned again inside
 * it only when the page changed meanwhile, so a plan made against one latest revision is never
 * applied to another. `inside` runs in the transaction just before the save, with the plan saved.
 * @throws whatever `plan` or saveEdit throws; nothing is written then.
 */
export function savePlanned<P extends SavePlan>(stores: Stores, plan: () => P, inside?: (plan: P) => void): SaveResult {
  const first = plan();
  let used = first;
  const prepared = prepareSave(stores, first.save);
  const planHolds = first.against === undefined || prepared.page?.latestId === first.against;
  const result = stores.transaction(() => {
    if (planHolds && isCurrent(stores, prepared)) {
      inside?.(first);
      return commitSave(stores, prepared);
    }
    // Someone saved in between: inside the transaction nobody can, so plan and prepare once more.
    used = plan();
    inside?.(used);
    return commitSave(stores, prepareSave(stores, used.save));
  });
  finishDeferredRows(stores, result.deferredRows);
  finishDeferredAuthors(stores, result.deferredAuthors);
  // Tools that run alone (seed, import, tests) see the index in step at once, as with the rows
  // above; not inside an enclosing transaction (a move's redirect), which must stay its own writes.
  if (!stores.db.inTransaction) flushSearchQueue(stores);
  return withAnchor(result, used.save.section);
}

/**
 * savePlanned with the slow part off the event loop: `planAsync` (the plan with its merge on the
 * text process; `plan` itself when absent) and the save's preparation run before the write
 * transaction; only if the page changed meanwhile is `plan` run again, inline, inside it.
 * @throws as savePlanned does; nothing is written then.
 */
export async function savePlannedAsync<P extends SavePlan>(
  stores: Stores,
  workers: TextWorkers,
  planner: { plan: () => P; planAsync?: () => Promise<P> },
  inside?: (plan: P) => void,
): Promise<SaveResult> {
  const first = planner.planAsync ? await planner.planAsync() : planner.plan();
  let used = first;
  const prepared = await prepareSaveAsync(stores, workers, first.save);
  const planHolds = first.against === undefined || prepared.page?.latestId === first.against;
  const result = await stores.transactionAsync(() => {
    if (planHolds && isCurrent(stores, prepared)) {
      inside?.(first);
      return commitSave(stores, prepared);
    }
    used = planner.plan();
    inside?.(used);
    return commitSave(stores, prepareSave(stores, used.save));
  });
  await finishDeferredRowsAsync(stores, result.deferredRows);
  await finishDeferredAuthorsAsync(stores, workers, result.deferredAuthors);
  return withAnchor(result, used.save.section);
}

/** saveEdit with the slow, pure part in the text process (prepareSaveAsync); the writes as saveEdit's. */
export async function saveEditAsync(stores: Stores, workers: TextWorkers, input: SaveInput): Promise<SaveResult> {
  const p = await prepareSaveAsync(stores, workers, input);
  // commitSave prepares again, inline, only if a save landed while the worker ran: rare, and bounded.
  const result = await stores.transactionAsync(() => commitSave(stores, p));
  await finishDeferredRowsAsync(stores, result.deferredRows);
  await finishDeferredAuthorsAsync(stores, workers, result.deferredAuthors);
  return withAnchor(result, input.section);
}

/** The result with the anchor of its saved section (SaveResult.anchor), found after the write transaction. */
function withAnchor(result: SaveResult, section: number | null | undefined): SaveResult {
  return section ? { ...result, anchor: sectionAnchor(result.text, section) } : result;
}

/**
 * Writes a prepared save: only lookups and writes. Call inside a transaction; a save prepared
 * against an older state of the page is prepared again first.
 * @throws as saveEdit does.
 */
export function commitSave(stores: Stores, prepared: PreparedSave): SaveResult {
  let p = isCurrent(stores, prepared) ? prepared : prepareSave(stores, prepared.input);
  const { input, page } = p;
  if (page && !p.analysis) {
    // A null edit writes nothing, not even a temporary account.
    const actor = input.actor === 'temporary' ? undefined : input.actor;
    return { status: 'nochange', page: stores.pages.byId(page.id)!, revision: stores.revisions.byId(page.latestId)!, actor, created: false, merged: false, text: p.text };
  }
  const actor = input.actor === 'temporary' ? stores.actors.createTemporary() : input.actor;
  const now = input.timestamp ?? new Date().toISOString();
  // A new temporary account signed with the name it was expected to get; if another process made an
  // account of that name meanwhile (rare), the save is prepared again, inline, with the real one.
  if (p.signedAs !== undefined && p.signedAs !== actor.name) p = prepareSave(stores, { ...input, actor });
  const analysis = p.analysis!;
  const pageId = page ? page.id : stores.pages.create(input.title, now);
  // Hashed and compressed in the preparation (in the text process for a long text): here it is only written.
  const content = stores.content.put(p.packed ?? p.text);
  const revisionId = stores.revisions.insert({
    pageId,
    parentId: page ? page.latestId : null,
    actorId: actor.id,
    contentId: content.id,
    comment: p.comment,
    minor: input.minor === true && page !== undefined,
    size: content.size,
    sha1: content.sha1,
    timestamp: now,
    // Stored in canonical form whoever calls (the HTTP layer already does), so lookups by address
    // (mass rollback, contributions) find it however it was spelled.
    ip: input.ip ? (canonicalAddress(input.ip) ?? input.ip) : null,
  });
  recordTagsAndRisk(stores, p, { revisionId, pageId, contentId: content.id, textIsNew: content.stored, actor, now });
  stores.pages.setLatest(pageId, revisionId, analysis.redirect !== undefined);
  const deferredRows = updateRows(stores, {
    pageId, revisionId, title: input.title.text, links: analysis.links, categories: analysis.categories, text: analysis.text, sha1: content.sha1, sourceLength: p.text.length, fromOldText: p.links,
  });
  const deferredAuthors = noteAuthors(stores, { revisionId, pageId, parentId: page ? page.latestId : null, contentId: content.id, textIsNew: content.stored, text: p.text }, p.authors);
  stores.actors.countEditOf(actor.id);
  noteSave(stores, { revisionId, pageId, title: input.title, actor, created: !page, now });
  const saved = stores.pages.byId(pageId)!;
  const revision = stores.revisions.byId(revisionId)!;
  stores.feed.note({
    type: 'save', pageId, title: saved.title, revisionId, parentId: revision.parentId, created: !page, merged: p.merged,
    section: input.section ?? null, tags: revision.tags, actorId: actor.id, timestamp: now, linkColours: page ? [] : [saved.title],
  });
  markRevertedReviewed(stores, input.reverts ?? [], { pageId, actor, now });
  return {
    status: 'saved',
    page: saved,
    revision,
    actor: stores.actors.byId(actor.id)!,
    created: !page,
    merged: p.merged,
    text: p.text,
    deferredRows,
    deferredAuthors,
  };
}

interface Written {
  revisionId: number;
  pageId: number;
  contentId: number;
  /** The text was stored anew by this save: not a revert. */
  textIsNew: boolean;
  actor: Actor;
  now: string;
}

const TEN_MINUTES = 10 * 60_000;

/**
 * Tags of SPEC section 6 and the risk score, in the save's transaction, from the text signals
 * prepared before it. A text equal to one of the page's last REVERT_DEPTH revisions is a revert
 * (also when restored by hand), and everything after that revision is tagged reverted.
 */
function recordTagsAndRisk(stores: Stores, p: PreparedSave, w: Written): void {
  const authorEdits = w.actor.kind === 'system' ? Infinity : w.actor.editCount;
  const tags = new Set([...p.tags, ...authorTags(authorEdits), ...(p.input.tags ?? [])]);
  const restored = p.oldText === null || w.textIsNew ? undefined : stores.revisions.earlierWithContent(w.pageId, w.contentId, w.revisionId);
  const reverted = new Set(p.input.reverts ?? []);
  if (restored !== undefined) {
    tags.add('revert');
    for (const id of stores.revisions.idsBetween(w.pageId, restored, w.revisionId)) reverted.add(id);
  }
  stores.revisions.addTags(w.revisionId, tags);
  for (const id of reverted) stores.revisions.addTags(id, ['reverted']);
  const since = new Date(Date.parse(w.now) - TEN_MINUTES).toISOString();
  // Pace is a signal only for newcomers: an admin's or an established user's busy afternoon is work.
  const paced = w.actor.kind === 'temp' || (w.actor.kind === 'user' && w.actor.role !== 'admin' && tags.has('new-user'));
  const risk = scoreRisk(p.signals, {
    tags: [...tags],
    temporaryAccount: w.actor.kind === 'temp',
    recentEdits: paced ? stores.revisions.countByActorSince(w.actor.id, since) : 0,
  });
  // Admins' and the system's own edits need no second look; the wiki's own edits carry no risk.
  const trusted = w.actor.kind === 'system' || (w.actor.kind === 'user' && w.actor.role === 'admin');
  const shown = w.actor.kind === 'system' ? { score: 0, reasons: [] } : risk;
  stores.review.put(w.revisionId, shown.score, shown.reasons, trusted ? w.actor.id : null, w.now);
}

/**
 * An undo or rollback has dealt with the edits it reverts: off the review queue, reviewed by
 * whoever reverted them, each with its patrol event after the save's. (The revert itself is
 * scored and queued like any other edit.)
 */
function markRevertedReviewed(stores: Stores, reverts: readonly number[], w: { pageId: number; actor: Actor; now: string }): void {
  for (const id of reverts) {
    if (stores.review.markPatrolled(id, w.actor.id, w.now)) {
      stores.feed.note({ type: 'patrol', revisionId: id, pageId: w.pageId, actorId: w.actor.id, timestamp: w.now, linkColours: [] });
    }
  }
}
