/**
 * Preparing a save: everything that follows from the page's current state and the texts, without
 * writing. The text to store (section spliced in, a stale base merged three ways), its analysis,
 * tags, risk signals and line authorship. edit.ts commits what this prepares.
 */
import type { Stores } from '../db/stores.js';
import { EditConflictError, InvalidInputError, PageExistsError, NotFoundError, TooLargeError } from './errors.js';
import { saveFacts, type SaveFacts } from './saveFacts.js';
import { merge3, type MergeResult } from './merge.js';
import type { TextWorkers } from './work/pool.js';
import { prepareAuthors, prepareAuthorsAsync, type ParentText } from './blameSave.js';
import type { AuthorRuns } from './authorship.js';
import { replaceSection, sectionSummary } from './sections.js';
import { expandSignatures } from './signatures.js';
import type { TextSignals } from './risk.js';
import type { Title } from './title.js';
import type { Actor, Page } from './types.js';

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
  /**
   * Expand signatures (`~~~~`, signatures.ts) in the text, as a person's save from the form or the
   * API does; never for reverts, moves, imports or the wiki's own saves, which keep texts exactly.
   */
  sign?: boolean;
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
  /** The text's line authorship (blameSave.ts prepareAuthors); undefined when left to after the commit, or a null edit. */
  authors?: AuthorRuns;
  /** The text as the content store keeps it (SaveFacts.packed); undefined for a null edit. */
  packed?: SaveFacts['packed'];
  /**
   * For a signing save by a temporary account still to be made: the name its signatures were
   * expanded with (the next free one when prepared); commitSave prepares again if another took it.
   */
  signedAs?: string;
}

/** Line endings become \n; everything else is kept exactly as typed. */
export function normalizeSource(source: string): string {
  // Searched first: most texts have no \r, and the search costs less than the replace's scan.
  return source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
}

/** Edit summaries longer than 500 characters are cut to 500 (whole code points). */
export function cutComment(comment: string | undefined): string {
  const chars = Array.from((comment ?? '').replace(/[\r\n]+/g, ' '));
  return chars.length > MAX_COMMENT_CHARS ? chars.slice(0, MAX_COMMENT_CHARS).join('') : chars.join('');
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
  return prepared(state, merged, (oldText, text) => ({ ...saveFacts({ oldText, text }), authors: prepareAuthors(stores, parentOf(state), text) }));
}

/**
 * prepareSave with the merge and the text analysis in the text process when the texts are large,
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
  const [facts, authors] = unchanged
    ? [undefined, undefined]
    : await Promise.all([
        workers.run('saveFacts', { oldText: state.latestText, text, linkChange: workers.offloads(size) }, size),
        // Derived data: if the pool cannot take it now, the save goes on and it is derived after the commit.
        prepareAuthorsAsync(stores, workers, parentOf(state), text).catch(() => undefined),
      ]);
  return prepared(state, merged, () => ({ ...facts!, authors }));
}

/** The revision a save on this state replaces, with its text; undefined for a new page. */
function parentOf(state: SaveState): ParentText | undefined {
  return state.page && state.latestText !== null ? { id: state.page.latestId, text: state.latestText } : undefined;
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
  /** PreparedSave.signedAs. */
  signedAs?: string;
}

function readSaveState(stores: Stores, input: SaveInput): SaveState {
  const typed = normalizeSource(input.source);
  // A temporary account still to be made signs with the name it will most likely get (edit.ts commitSave checks).
  const signer = !input.sign ? undefined : input.actor === 'temporary' ? stores.actors.nextTemporaryName() : input.actor.name;
  const source = signer !== undefined ? expandSignatures(typed, signer, new Date(input.timestamp ?? Date.now())) : typed;
  if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) {
    throw new TooLargeError('Page source is over 1 MiB; split it into several pages.');
  }
  const page = stores.pages.byTitle(input.title);
  if (!page && input.baseId !== null && input.mode === 'update') {
    throw new NotFoundError(`The page "${input.title.text}" does not exist; create it without a base revision.`);
  }
  const signedAs = input.actor === 'temporary' && signer !== undefined && source !== typed ? signer : undefined;
  if (!page) return { input, page, mine: source, latestText: null, signedAs };
  return { input, page, ...resolveText(stores, page, input, source), signedAs };
}

function prepared(
  state: SaveState,
  merged: string | undefined,
  facts: (oldText: string | null, text: string) => SaveFacts & { authors: AuthorRuns | undefined },
): PreparedSave {
  const text = merged ?? state.mine;
  const oldText = state.latestText;
  const unchanged = oldText !== null && text === oldText;
  return {
    input: state.input,
    page: state.page,
    // A section edit saved without a summary says which section it changed, as MediaWiki's do.
    comment: cutComment(state.input.comment) || (state.input.section ? (sectionSummary(state.input.source) ?? '') : ''),
    text,
    merged: merged !== undefined,
    oldText,
    ...(state.signedAs !== undefined ? { signedAs: state.signedAs } : {}),
    ...(unchanged ? { analysis: undefined, tags: [], signals: { referencesRemoved: 0, repeated: false, shouting: false }, links: undefined } : facts(oldText, text)),
  };
}

/** Whether the page still stands where `prepared` found it: same page, same latest revision (or still none). */
export function isCurrent(stores: Stores, prepared: PreparedSave): boolean {
  const page = stores.pages.byTitle(prepared.input.title);
  if (!page || !prepared.page) return page === prepared.page;
  return page.id === prepared.page.id && page.latestId === prepared.page.latestId;
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
  // Most saves name the latest revision as their base: read once.
  const base = input.baseId === latest.id ? latest : stores.revisions.byId(input.baseId);
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
  if (!result.clean) throw new EditConflictError(m.baseId, { id: m.latestId, source: m.latestText }, state.mine, result.regions);
  return result.text;
}
