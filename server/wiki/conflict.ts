/** Resolving an edit conflict: the conflict screen's choices applied to the merge it showed. */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import { resolveRegions, type HunkChoice } from './merge.js';
import { readLatest, readRevision } from './pages.js';
import { normalizeSource } from './prepareSave.js';
import type { Title } from './title.js';
import type { TextWorkers } from './work/pool.js';

/** What to keep of one conflicting region: the editor's lines, the other edit's, or lines written by hand. */
export type RegionChoice = 'mine' | 'theirs' | { hand: string };

export interface ConflictResolution {
  title: Title;
  /** The editor's whole text, as the conflict screen showed it (EditConflictError.mine). */
  mine: string;
  /** The revision that was current when the conflict was shown (EditConflictError.current.id). */
  currentId: number;
  /** The editor's original base (EditConflictError.baseId); null or undefined for a new page's form. */
  baseId?: number | null;
  /** The choice for conflicting region `index` (0-based, in text order); asked only for regions that conflict. */
  choose: (index: number) => RegionChoice;
}

function hunkChoice(choice: RegionChoice): HunkChoice {
  if (choice === 'theirs') return { lines: null, side: 'theirs' };
  if (choice === 'mine') return { lines: null, side: 'mine' };
  return { lines: normalizeSource(choice.hand).split('\n'), side: 'mine' };
}

/**
 * The text to save after a conflict: the merge of the original base, the editor's text and the
 * then-current revision, made again here from stored revisions (so the form need not carry the
 * merge, nor be trusted with it), with each conflicting region resolved by `choose`. A merge that
 * comes out clean (say, the conflicting edit was reverted since) is taken whole. Save the result
 * with `currentId` as its base: a save made since is then merged or conflicts as usual.
 * @throws NotFoundError when the page is gone, or a revision named is not one of its revisions;
 *   whatever `choose` throws.
 */
export async function resolveConflict(stores: Stores, workers: TextWorkers, r: ConflictResolution): Promise<string> {
  const page = readLatest(stores, r.title)?.page;
  if (!page) throw new NotFoundError(`There is no page "${r.title.text}" any more; copy your text and create it again.`);
  const current = readRevision(stores, page, r.currentId).source;
  const baseText = r.baseId != null ? readRevision(stores, page, r.baseId).source : '';
  const size = baseText.length + r.mine.length + current.length;
  const merged = await workers.run('merge', { base: baseText, mine: r.mine, theirs: current }, size);
  return merged.clean ? merged.text : resolveRegions(merged.regions, (i) => hunkChoice(r.choose(i)));
}
