/**
 * The write side: saving an edit against a named base revision. A stale base is merged three ways,
 * an overlap is a conflict, and an identical text is a null edit that writes nothing.
 * The slow part of a save (the merge, the index analysis, the tag and risk signals of the text)
 * reads only immutable rows, so it is done before the write transaction; inside it the page's latest
 * revision is checked again and the work redone only if someone saved in between.
 */
import type { Stores } from '../db/stores.js';
import { EditConflictError, InvalidInputError, PageExistsError, NotFoundError, TooLargeError } from './errors.js';
import { analyzeForIndex } from './markdown.js';
import { merge3 } from './merge.js';
import { replaceSection } from './sections.js';
import { authorTags, textTags } from './tags.js';
import { scoreRisk, textSignals, type TextSignals } from './risk.js';
import type { Title } from './title.js';
import type { Actor, Page, Revision } from './types.js';

export const MAX_SOURCE_BYTES = 1024 * 1024;
export const MAX_COMMENT_CHARS = 500;

export interface SaveInput {
  title: Title;
  source: string;
  comment?: string;
  minor?: boolean;
  /** The revision the editor started from; null when they started a new page. */
  baseId: number | null;
  /** When set, `source` is only this section of the base revision. */
  section?: number | null;
  /** The author, or 'temporary' to create a temporary account inside the save's transaction. */
  actor: Actor | 'temporary';
  ip?: string | null;
  /** 'create' refuses an existing page (API POST); 'update' refuses a missing one when a base is given. */
  mode?: 'create' | 'update' | 'form';
  timestamp?: string;
  /** Extra tags the caller already knows (undo, rollback). */
  tags?: string[];
  /** Revisions this save undoes: each gets the `reverted` tag. */
  reverts?: number[];
}

export interface SaveResult {
  status: 'saved' | 'nochange';
  page: Page;
  revision: Revision;
  /** The author; undefined only for a null edit by someone without an account yet. */
  actor: Actor | undefined;
  created: boolean;
  merged: boolean;
}

/** A save worked out against one state of its page (see isCurrent), ready for commitSave. */
export interface PreparedSave {
  input: SaveInput;
  /** The page as it was read; undefined when there was none. */
  page: Page | undefined;
  comment: string;
  /** The whole text to store: section spliced in, stale base merged. */
  text: string;
  merged: boolean;
  /** The latest text it replaces; null for a new page. */
  oldText: string | null;
  /** Undefined for a null edit, which stores nothing. */
  analysis: ReturnType<typeof analyzeForIndex> | undefined;
  tags: string[];
  signals: TextSignals;
}

/** Line endings become \n; everything else is kept exactly as typed. */
export function normalizeSource(source: string): string {
  return source.replace(/\r\n?/g, '\n');
}

/** Edit summaries longer than 500 characters are cut to 500 (whole code points). */
export function cutComment(comment: string | undefined): string {
  const chars = Array.from((comment ?? '').replace(/[\r\n]+/g, ' '));
  return chars.length > MAX_COMMENT_CHARS ? chars.slice(0, MAX_COMMENT_CHARS).join('') : chars.join('');
}

/**
 * Save an edit in one transaction: revision, latest pointer, links, categories, search index.
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
  const prepared = prepareSave(stores, first.save);
  const planHolds = first.against === undefined || prepared.page?.latestId === first.against;
  return stores.transaction(() => {
    if (planHolds && isCurrent(stores, prepared)) {
      inside?.(first);
      return commitSave(stores, prepared);
    }
    // Someone saved in between: inside the transaction nobody can, so plan and prepare once more.
    const again = plan();
    inside?.(again);
    return commitSave(stores, prepareSave(stores, again.save));
  });
}

/**
 * Everything about a save that follows from the page's current state and the texts, without
 * writing: the text to store, its analysis, tags and risk signals. Safe outside a transaction: it
 * reads the page once and otherwise only immutable revisions and content.
 * @throws as saveEdit does, for the state it read.
 */
export function prepareSave(stores: Stores, input: SaveInput): PreparedSave {
  const source = normalizeSource(input.source);
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    throw new TooLargeError('Page source is over 1 MiB; split it into several pages.');
  }
  const page = stores.pages.byTitle(input.title);
  if (!page && input.baseId !== null && input.mode === 'update') {
    throw new NotFoundError(`The page "${input.title.text}" does not exist; create it without a base revision.`);
  }
  const resolved = page ? resolveText(stores, page, input, source) : { final: source, merged: false, latestText: null };
  const oldText = resolved.latestText;
  const unchanged = oldText !== null && resolved.final === oldText;
  return {
    input,
    page,
    comment: cutComment(input.comment),
    text: resolved.final,
    merged: resolved.merged,
    oldText,
    analysis: unchanged ? undefined : analyzeForIndex(resolved.final),
    tags: unchanged ? [] : textTags({ oldText, newText: resolved.final }),
    signals: unchanged ? { referencesRemoved: 0, repeated: false, shouting: false } : textSignals(oldText, resolved.final),
  };
}

/** Whether the page still stands where `prepared` found it: same page, same latest revision (or still none). */
export function isCurrent(stores: Stores, prepared: PreparedSave): boolean {
  const page = stores.pages.byTitle(prepared.input.title);
  if (!page || !prepared.page) return page === prepared.page;
  return page.id === prepared.page.id && page.latestId === prepared.page.latestId;
}

/**
 * Writes a prepared save: only lookups and writes. Call inside a transaction; a save prepared
 * against an older state of the page is prepared again first.
 * @throws as saveEdit does.
 */
export function commitSave(stores: Stores, prepared: PreparedSave): SaveResult {
  const p = isCurrent(stores, prepared) ? prepared : prepareSave(stores, prepared.input);
  const { input, page } = p;
  if (page && !p.analysis) {
    // A null edit writes nothing, not even a temporary account.
    const actor = input.actor === 'temporary' ? undefined : input.actor;
    return { status: 'nochange', page: stores.pages.byId(page.id)!, revision: stores.revisions.byId(page.latestId)!, actor, created: false, merged: false };
  }
  const analysis = p.analysis!;
  const actor = input.actor === 'temporary' ? stores.actors.createTemporary() : input.actor;
  const now = input.timestamp ?? new Date().toISOString();
  const pageId = page ? page.id : stores.pages.create(input.title, now);
  const content = stores.content.put(p.text);
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
    ip: input.ip ?? null,
  });
  recordTagsAndRisk(stores, p, { revisionId, pageId, sha1: content.sha1, actor, now });
  stores.pages.setLatest(pageId, revisionId, analysis.redirect !== undefined);
  stores.links.replace(pageId, analysis.links, analysis.categories);
  stores.search.put(pageId, input.title.text, analysis.text);
  stores.actors.countEditOf(actor.id);
  if (!page) stores.pages.touchPagesLinkingTo(input.title);
  return {
    status: 'saved',
    page: stores.pages.byId(pageId)!,
    revision: stores.revisions.byId(revisionId)!,
    actor: stores.actors.byId(actor.id)!,
    created: !page,
    merged: p.merged,
  };
}

/** The whole text to save on an existing page: section spliced in, stale base merged. */
function resolveText(stores: Stores, page: Page, input: SaveInput, source: string): { final: string; merged: boolean; latestText: string } {
  const latest = stores.revisions.byId(page.latestId)!;
  const latestText = stores.content.get(latest.contentId);
  if (input.baseId === null) {
    if (input.mode === 'create' || input.mode === 'update') throw new PageExistsError(page.title.text);
    // A new-page form saved after someone else created the page: their text against an empty base.
    return { ...mergeOnto(null, '', source, latest.id, latestText), latestText };
  }
  const base = stores.revisions.byId(input.baseId);
  if (!base) throw new NotFoundError(`Base revision ${input.baseId} does not exist.`);
  if (base.pageId !== page.id) throw new InvalidInputError(`Base revision ${input.baseId} is not a revision of "${page.title.text}".`);
  const baseText = stores.content.get(base.contentId);
  const mine = input.section != null ? replaceSection(baseText, input.section, source) : source;
  if (base.id === latest.id) return { final: mine, merged: false, latestText };
  return { ...mergeOnto(base.id, baseText, mine, latest.id, latestText), latestText };
}

function mergeOnto(
  baseId: number | null,
  baseText: string,
  mine: string,
  latestId: number,
  latestText: string,
): { final: string; merged: boolean } {
  const result = merge3(baseText, mine, latestText);
  if (!result.clean) throw new EditConflictError(baseId, { id: latestId, source: latestText }, mine);
  return { final: result.text, merged: true };
}

interface Written {
  revisionId: number;
  pageId: number;
  sha1: string;
  actor: Actor;
  now: string;
}

const TEN_MINUTES = 10 * 60_000;

/**
 * Tags of SPEC section 6 and the risk score, in the save's transaction, from the text signals
 * prepared before it. A text equal to an earlier revision's is a revert (also when restored by
 * hand), and everything after that revision is tagged reverted.
 */
function recordTagsAndRisk(stores: Stores, p: PreparedSave, w: Written): void {
  const authorEdits = w.actor.kind === 'system' ? Infinity : w.actor.editCount;
  const tags = new Set([...p.tags, ...authorTags(authorEdits), ...(p.input.tags ?? [])]);
  const restored = p.oldText === null ? undefined : stores.revisions.earlierWithSha1(w.pageId, w.sha1, w.revisionId);
  const reverted = new Set(p.input.reverts ?? []);
  if (restored !== undefined) {
    tags.add('revert');
    for (const id of stores.revisions.idsBetween(w.pageId, restored, w.revisionId)) reverted.add(id);
  }
  stores.revisions.addTags(w.revisionId, tags);
  for (const id of reverted) stores.revisions.addTags(id, ['reverted']);
  const since = new Date(Date.parse(w.now) - TEN_MINUTES).toISOString();
  const risk = scoreRisk(p.signals, {
    tags: [...tags],
    temporaryAccount: w.actor.kind === 'temp',
    recentEdits: stores.revisions.countByActorSince(w.actor.id, since),
  });
  // Admins' and the system's own edits need no second look; the wiki's own edits carry no risk.
  const trusted = w.actor.kind === 'system' || (w.actor.kind === 'user' && w.actor.role === 'admin');
  const shown = w.actor.kind === 'system' ? { score: 0, reasons: [] } : risk;
  stores.review.put(w.revisionId, shown.score, shown.reasons, trusted ? w.actor.id : null, w.now);
}
