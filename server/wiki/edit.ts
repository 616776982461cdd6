/**
 * The write side: saving an edit against a named base revision. A stale base is merged three ways,
 * an overlap is a conflict, and an identical text is a null edit that writes nothing.
 * The slow part of a save (the merge, the index analysis, the tag and risk signals of the text)
 * reads only immutable rows, so it is done before the write transaction; inside it the page's latest
 * revision is checked again and the work redone only if someone saved in between.
 */
import type { Stores } from '../db/stores.js';
import { EditConflictError, InvalidInputError, PageExistsError, NotFoundError, TooLargeError } from './errors.js';
import { saveFacts, type SaveFacts } from './saveFacts.js';
import { merge3, type MergeResult } from './merge.js';
import type { TextWorkers } from './work/pool.js';
import { finishDeferredRows, finishDeferredRowsAsync, updateRows, type DeferredRows } from './links.js';
import { replaceSection } from './sections.js';
import { authorTags } from './tags.js';
import { scoreRisk, type TextSignals } from './risk.js';
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
  /** The page's text after the save (the latest text on a null edit), so callers need not read it back. */
  text: string;
  /** Link rows and search entry too big for the save's transaction, written after it (wiki/links.ts); the save functions here finish them. */
  deferredRows?: DeferredRows;
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
  analysis: SaveFacts['analysis'] | undefined;
  tags: string[];
  signals: TextSignals;
  /** The link rows' change from the old text's (SaveFacts.links), when worked out; undefined for a null edit. */
  links?: SaveFacts['links'];
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
  const result = stores.transaction(() => {
    if (planHolds && isCurrent(stores, prepared)) {
      inside?.(first);
      return commitSave(stores, prepared);
    }
    // Someone saved in between: inside the transaction nobody can, so plan and prepare once more.
    const again = plan();
    inside?.(again);
    return commitSave(stores, prepareSave(stores, again.save));
  });
  finishDeferredRows(stores, result.deferredRows);
  return result;
}

/**
 * savePlanned with the slow part off the event loop: `planAsync` (the plan with its merge on the
 * worker threads; `plan` itself when absent) and the save's preparation run before the write
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
  const prepared = await prepareSaveAsync(stores, workers, first.save);
  const planHolds = first.against === undefined || prepared.page?.latestId === first.against;
  const result = stores.transaction(() => {
    if (planHolds && isCurrent(stores, prepared)) {
      inside?.(first);
      return commitSave(stores, prepared);
    }
    const again = planner.plan();
    inside?.(again);
    return commitSave(stores, prepareSave(stores, again.save));
  });
  await finishDeferredRowsAsync(stores, result.deferredRows);
  return result;
}

/**
 * Everything about a save that follows from the page's current state and the texts, without
 * writing: the text to store, its analysis, tags and risk signals. Safe outside a transaction: it
 * reads the page once and otherwise only immutable revisions and content.
 * @throws as saveEdit does, for the state it read.
 */
export function prepareSave(stores: Stores, input: SaveInput): PreparedSave {
  const state = readSaveState(stores, input);
  const merged = state.merge ? mergeOnto(state, merge3(state.merge.baseText, state.mine, state.merge.latestText)) : undefined;
  return prepared(state, merged, (oldText, text) => saveFacts({ oldText, text }));
}

/**
 * prepareSave with the merge and the text analysis on a worker thread when the texts are large,
 * so a 1 MiB save holds the event loop only for its reads and its writes.
 * @throws as saveEdit does, for the state it read.
 */
export async function prepareSaveAsync(stores: Stores, workers: TextWorkers, input: SaveInput): Promise<PreparedSave> {
  const state = readSaveState(stores, input);
  let merged: string | undefined;
  if (state.merge) {
    const { baseText, latestText } = state.merge;
    merged = mergeOnto(state, await workers.run('merge', { base: baseText, mine: state.mine, theirs: latestText }, baseText.length + state.mine.length + latestText.length));
  }
  const text = merged ?? state.mine;
  const unchanged = state.latestText !== null && text === state.latestText;
  const size = text.length + (state.latestText?.length ?? 0);
  const facts = unchanged ? undefined : await workers.run('saveFacts', { oldText: state.latestText, text, linkChange: workers.offloads(size) }, size);
  return prepared(state, merged, () => facts!);
}

/** saveEdit with the slow, pure part on a worker thread (prepareSaveAsync); the writes as saveEdit's. */
export async function saveEditAsync(stores: Stores, workers: TextWorkers, input: SaveInput): Promise<SaveResult> {
  const p = await prepareSaveAsync(stores, workers, input);
  // commitSave prepares again, inline, only if a save landed while the worker ran: rare, and bounded.
  const result = stores.transaction(() => commitSave(stores, p));
  await finishDeferredRowsAsync(stores, result.deferredRows);
  return result;
}

/** What a save reads before any text work: the page, the text it replaces, and what to merge. */
interface SaveState {
  input: SaveInput;
  page: Page | undefined;
  /** The editor's whole text (section spliced into the base). */
  mine: string;
  latestText: string | null;
  /** Set when the base is not the latest: a three-way merge is due. */
  merge?: { baseId: number | null; baseText: string; latestId: number; latestText: string };
}

function readSaveState(stores: Stores, input: SaveInput): SaveState {
  const source = normalizeSource(input.source);
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    throw new TooLargeError('Page source is over 1 MiB; split it into several pages.');
  }
  const page = stores.pages.byTitle(input.title);
  if (!page && input.baseId !== null && input.mode === 'update') {
    throw new NotFoundError(`The page "${input.title.text}" does not exist; create it without a base revision.`);
  }
  if (!page) return { input, page, mine: source, latestText: null };
  return { input, page, ...resolveText(stores, page, input, source) };
}

function prepared(
  state: SaveState,
  merged: string | undefined,
  facts: (oldText: string | null, text: string) => SaveFacts,
): PreparedSave {
  const text = merged ?? state.mine;
  const oldText = state.latestText;
  const unchanged = oldText !== null && text === oldText;
  return {
    input: state.input,
    page: state.page,
    comment: cutComment(state.input.comment),
    text,
    merged: merged !== undefined,
    oldText,
    ...(unchanged ? { analysis: undefined, tags: [], signals: { referencesRemoved: 0, repeated: false, shouting: false }, links: undefined } : facts(oldText, text)),
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
    return { status: 'nochange', page: stores.pages.byId(page.id)!, revision: stores.revisions.byId(page.latestId)!, actor, created: false, merged: false, text: p.text };
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
  const deferredRows = updateRows(stores, {
    pageId, revisionId, title: input.title.text, links: analysis.links, categories: analysis.categories, text: analysis.text, fromOldText: p.links,
  });
  stores.actors.countEditOf(actor.id);
  if (!page) stores.pages.touchPagesLinkingTo(input.title);
  return {
    status: 'saved',
    page: stores.pages.byId(pageId)!,
    revision: stores.revisions.byId(revisionId)!,
    actor: stores.actors.byId(actor.id)!,
    created: !page,
    merged: p.merged,
    text: p.text,
    deferredRows,
  };
}

/** The editor's whole text on an existing page (section spliced in) and, for a stale base, what to merge. */
function resolveText(stores: Stores, page: Page, input: SaveInput, source: string): Pick<SaveState, 'mine' | 'latestText' | 'merge'> {
  const latest = stores.revisions.byId(page.latestId)!;
  const latestText = stores.content.get(latest.contentId);
  if (input.baseId === null) {
    if (input.mode === 'create' || input.mode === 'update') throw new PageExistsError(page.title.text);
    // A new-page form saved after someone else created the page: their text against an empty base.
    return { mine: source, latestText, merge: { baseId: null, baseText: '', latestId: latest.id, latestText } };
  }
  const base = stores.revisions.byId(input.baseId);
  if (!base) throw new NotFoundError(`Base revision ${input.baseId} does not exist.`);
  if (base.pageId !== page.id) throw new InvalidInputError(`Base revision ${input.baseId} is not a revision of "${page.title.text}".`);
  const baseText = stores.content.get(base.contentId);
  const mine = input.section != null ? replaceSection(baseText, input.section, source) : source;
  if (base.id === latest.id) return { mine, latestText };
  return { mine, latestText, merge: { baseId: base.id, baseText, latestId: latest.id, latestText } };
}

/** The merged text, or the conflict (nothing written) when the two edits overlap. */
function mergeOnto(state: SaveState, result: MergeResult): string {
  const m = state.merge!;
  if (!result.clean) throw new EditConflictError(m.baseId, { id: m.latestId, source: m.latestText }, state.mine);
  return result.text;
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
