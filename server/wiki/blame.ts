/**
 * Blame: which revision wrote each line of a revision's text. Each revision's authorship is derived
 * from its parent's (stored once per revision), so a view never replays the page's history.
 * A revert to an earlier text inherits that text's authorship; lines that come back after a move
 * or a recent removal keep their first writers.
 */
import { diffArrays } from 'diff';
import type { Stores } from '../db/stores.js';
import type { Revision } from './types.js';

export const BLAME_VERSION = 1;
/** Earlier revisions whose lines may be restored (undo of a recent edit) and keep their authors. */
const RECALL_DEPTH = 5;
/** Lines shorter than this (blank lines, "---") are too common to say who wrote them. */
const RECALL_MIN_CHARS = 4;
const MAX_EDIT_LENGTH = 4000;

export interface BlameBlock {
  fromLine: number;
  lines: number;
  revision: Revision;
}

/**
 * The authors of `child` lines, given the parent's lines and authors (pure).
 * `recall` maps line text → the revision that first wrote it, for lines that come back.
 */
export function inheritAuthors(
  parentLines: string[],
  parentAuthors: number[],
  childLines: string[],
  childId: number,
  recall: Map<string, number> = new Map(),
): number[] {
  const parts = diffArrays(parentLines, childLines, { maxEditLength: MAX_EDIT_LENGTH, timeout: 500 });
  const out: number[] = [];
  const moved = new Map(recall);
  if (!parts) {
    // Too different to align: keep authors of an untouched prefix and suffix, credit the rest to the child.
    let p = 0;
    while (p < parentLines.length && p < childLines.length && parentLines[p] === childLines[p]) out.push(parentAuthors[p++]!);
    const tail: number[] = [];
    let i = parentLines.length - 1;
    let j = childLines.length - 1;
    while (j >= p && i >= p && parentLines[i] === childLines[j]) tail.unshift(parentAuthors[i--]!), j--;
    for (let k = p; k <= j; k++) out.push(recalled(childLines[k]!, moved) ?? childId);
    return out.concat(tail);
  }
  let at = 0;
  for (const part of parts) {
    if (part.removed) {
      part.value.forEach((line, k) => {
        if (line.trim().length >= RECALL_MIN_CHARS && !moved.has(line)) moved.set(line, parentAuthors[at + k]!);
      });
      at += part.value.length;
    } else if (!part.added) {
      for (let k = 0; k < part.value.length; k++) out.push(parentAuthors[at + k]!);
      at += part.value.length;
    }
  }
  // Second pass now that every removed line is known: added lines may be lines moved from below.
  const result: number[] = [];
  let c = 0;
  for (const part of parts) {
    if (part.removed) continue;
    if (part.added) for (const line of part.value) result.push(recalled(line, moved) ?? childId);
    else for (let k = 0; k < part.value.length; k++) result.push(out[c++]!);
  }
  return result;
}

function recalled(line: string, recall: Map<string, number>): number | undefined {
  return line.trim().length >= RECALL_MIN_CHARS ? recall.get(line) : undefined;
}

function linesOf(stores: Stores, r: Revision): string[] {
  return stores.content.get(r.contentId).split('\n');
}

/** Line text → first writer, from the stored authorship of a few revisions before `r`. */
function recallBefore(stores: Stores, r: Revision): Map<string, number> {
  const map = new Map<string, number>();
  let id = r.parentId;
  for (let depth = 0; id && depth < RECALL_DEPTH; depth++) {
    const rev = stores.revisions.byId(id)!;
    const authors = stores.blame.get(rev.id, BLAME_VERSION);
    if (!authors) break;
    // Walking back in time: older writers overwrite newer ones, so the first writer wins.
    linesOf(stores, rev).forEach((line, i) => {
      if (line.trim().length >= RECALL_MIN_CHARS) map.set(line, authors[i]!);
    });
    id = rev.parentId;
  }
  return map;
}

/** The author revision id of each line of `rev`, computing and storing what is missing. */
export function authorsOf(stores: Stores, rev: Revision): number[] {
  const stored = stores.blame.get(rev.id, BLAME_VERSION);
  if (stored) return stored;
  // Walk back to the nearest revision with stored authorship; stored sets are closed under
  // "parent of", so everything older is stored too.
  const chain: Revision[] = [];
  let r: Revision | undefined = rev;
  let base: number[] | undefined;
  while (r) {
    base = stores.blame.get(r.id, BLAME_VERSION);
    if (base) break;
    chain.push(r);
    r = r.parentId ? stores.revisions.byId(r.parentId) : undefined;
  }
  let parentLines = r ? linesOf(stores, r) : [];
  let parentAuthors = base ?? [];
  for (const c of chain.reverse()) {
    const lines = linesOf(stores, c);
    const revertOf = c.parentId ? stores.revisions.earlierWithSha1(c.pageId, c.sha1, c.parentId) : undefined;
    const authors = revertOf !== undefined
      ? (stores.blame.get(revertOf, BLAME_VERSION) ?? authorsOf(stores, stores.revisions.byId(revertOf)!))
      : c.parentId
        ? inheritAuthors(parentLines, parentAuthors, lines, c.id, recallBefore(stores, c))
        : lines.map(() => c.id);
    stores.blame.put(c.id, BLAME_VERSION, authors);
    parentLines = lines;
    parentAuthors = authors;
  }
  return parentAuthors;
}

/** The revision's text cut into runs of lines, each credited to the revision that wrote it. */
export function blame(stores: Stores, rev: Revision): BlameBlock[] {
  const authors = authorsOf(stores, rev);
  const revisions = new Map<number, Revision>();
  const blocks: BlameBlock[] = [];
  authors.forEach((id, i) => {
    const last = blocks[blocks.length - 1];
    if (last && last.revision.id === id) last.lines += 1;
    else {
      let r = revisions.get(id);
      if (!r) revisions.set(id, (r = stores.revisions.byId(id)!));
      blocks.push({ fromLine: i + 1, lines: 1, revision: r });
    }
  });
  return blocks;
}
