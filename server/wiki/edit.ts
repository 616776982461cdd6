/**
 * The write side: saving an edit against a named base revision. The base is compared with the
 * current latest inside the transaction; a stale base is merged three ways, an overlap is a conflict,
 * and an identical text is a null edit that writes nothing.
 */
import type { Stores } from '../db/stores.js';
import { EditConflictError, InvalidInputError, PageExistsError, NotFoundError, TooLargeError } from './errors.js';
import { analyzeForIndex } from './markdown.js';
import { merge3 } from './merge.js';
import { replaceSection } from './sections.js';
import { signalTags } from './tags.js';
import { riskOf } from './risk.js';
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
  const source = normalizeSource(input.source);
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    throw new TooLargeError('Page source is over 1 MiB; split it into several pages.');
  }
  const comment = cutComment(input.comment);
  const analysis = analyzeForIndex(source);
  return stores.transaction(() => {
    const page = stores.pages.byTitle(input.title);
    const text = page ? resolveText(stores, page, input, source) : { final: source, merged: false, latestText: '' };
    if (!page && input.baseId !== null && input.mode === 'update') {
      throw new NotFoundError(`The page "${input.title.text}" does not exist; create it without a base revision.`);
    }
    if (page && text.final === text.latestText) {
      // A null edit writes nothing, not even a temporary account.
      const actor = input.actor === 'temporary' ? undefined : input.actor;
      return { status: 'nochange', page, revision: stores.revisions.byId(page.latestId)!, actor, created: false, merged: false };
    }
    const finalText = page ? text.final : source;
    const finalAnalysis = finalText === source ? analysis : analyzeForIndex(finalText);
    const actor = input.actor === 'temporary' ? stores.actors.createTemporary() : input.actor;
    const now = input.timestamp ?? new Date().toISOString();
    const pageId = page ? page.id : stores.pages.create(input.title, now);
    const content = stores.content.put(finalText);
    const revisionId = stores.revisions.insert({
      pageId,
      parentId: page ? page.latestId : null,
      actorId: actor.id,
      contentId: content.id,
      comment,
      minor: input.minor === true && page !== undefined,
      size: content.size,
      sha1: content.sha1,
      timestamp: now,
      ip: input.ip ?? null,
    });
    recordTagsAndRisk(stores, {
      revisionId,
      pageId,
      sha1: content.sha1,
      oldText: page ? text.latestText : null,
      newText: finalText,
      actor,
      callerTags: input.tags ?? [],
      reverts: input.reverts ?? [],
      now,
    });
    stores.pages.setLatest(pageId, revisionId, finalAnalysis.redirect !== undefined);
    stores.links.replace(pageId, finalAnalysis.links, finalAnalysis.categories);
    stores.search.put(pageId, input.title.text, finalAnalysis.text);
    stores.actors.countEditOf(actor.id);
    if (!page) stores.pages.touchPagesLinkingTo(input.title);
    return {
      status: 'saved',
      page: stores.pages.byId(pageId)!,
      revision: stores.revisions.byId(revisionId)!,
      actor: stores.actors.byId(actor.id)!,
      created: !page,
      merged: text.merged,
    };
  });
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

interface SavedFacts {
  revisionId: number;
  pageId: number;
  sha1: string;
  oldText: string | null;
  newText: string;
  actor: Actor;
  callerTags: string[];
  reverts: number[];
  now: string;
}

const TEN_MINUTES = 10 * 60_000;

/**
 * Tags of SPEC section 6 and the risk score, in the save's transaction. A text equal to an
 * earlier revision's is a revert (also when restored by hand), and everything after that
 * revision is tagged reverted.
 */
function recordTagsAndRisk(stores: Stores, f: SavedFacts): void {
  const tags = new Set([...signalTags({ oldText: f.oldText, newText: f.newText, authorEdits: f.actor.kind === 'system' ? Infinity : f.actor.editCount }), ...f.callerTags]);
  const restored = f.oldText === null ? undefined : stores.revisions.earlierWithSha1(f.pageId, f.sha1, f.revisionId);
  const reverted = new Set(f.reverts);
  if (restored !== undefined) {
    tags.add('revert');
    for (const id of stores.revisions.idsBetween(f.pageId, restored, f.revisionId)) reverted.add(id);
  }
  stores.revisions.addTags(f.revisionId, tags);
  for (const id of reverted) stores.revisions.addTags(id, ['reverted']);
  const since = new Date(Date.parse(f.now) - TEN_MINUTES).toISOString();
  const risk = riskOf({
    oldText: f.oldText,
    newText: f.newText,
    tags: [...tags],
    temporaryAccount: f.actor.kind === 'temp',
    recentEdits: stores.revisions.countByActorSince(f.actor.id, since),
  });
  // Admins' and the system's own edits need no second look; the wiki's own edits carry no risk.
  const trusted = f.actor.kind === 'system' || (f.actor.kind === 'user' && f.actor.role === 'admin');
  const shown = f.actor.kind === 'system' ? { score: 0, reasons: [] } : risk;
  stores.review.put(f.revisionId, shown.score, shown.reasons, trusted ? f.actor.id : null, f.now);
}
