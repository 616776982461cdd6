/** Line and word comparison of two texts into the compare model of SPEC section 5, within a budget (pure). */
import { writeEntries } from './diff/entries.js';
import { lineHunks, NOTE_LINES, type LineBudget } from './diff/lines.js';
import type { CompareOptions, Comparison } from './diff/model.js';
import { markMoves } from './diff/moves.js';
import { appliesTo, replaceEverything } from './diff/script.js';
import { finish, type Work } from './diff/work.js';

export type { CompareOptions, Comparison, DiffEntry, HighlightRange } from './diff/model.js';
export { applyEditScript } from './diff/script.js';

/** Bump whenever the same two texts may compare differently; part of every diff cache key. */
export const DIFF_VERSION = 1;

// Measured: a Myers run over 1 MiB of 60-character lines that gives up after 1000 edits costs about
// 150 ms, and the cost grows with the square of the limit. Unrelated texts skip it (minimumEdits).
const DEFAULT_MAX_EDIT_LENGTH = 1000;
const DEFAULT_TIMEOUT_MS = 200;
const DEFAULT_CONTEXT = 3;

interface Settings { context: number | 'all'; timeoutMs: number; maxEditLength: number }

/**
 * Compares an older and a newer text line by line (SPEC section 5), with word highlights in changed
 * line pairs and moved paragraphs marked. Bounded: about 1.5 × `timeoutMs` plus near-linear work;
 * past the budget, regions degrade to coarser blocks (`coarse: true`) but the entries stay an exact
 * edit script (checked with applyEditScript before returning).
 * `null` means the empty text.
 * @throws TypeError when both texts are null; RangeError when an option is out of range.
 */
export function compareTexts(oldText: string | null, newText: string | null, options: CompareOptions = {}): Comparison {
  if (oldText === null && newText === null) throw new TypeError('compareTexts: at least one text must be given');
  const settings = checkOptions(options);
  const before = oldText ?? '';
  const after = newText ?? '';
  const result = buildComparison(before.split('\n'), after.split('\n'), settings);
  if (appliesTo(before, result.entries, after)) return result;
  return replaceEverything(before.split('\n'), after.split('\n'));
}

/** The options with defaults filled in; throws RangeError for any out of range. */
function checkOptions(options: CompareOptions): Settings {
  const context = options.context ?? DEFAULT_CONTEXT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxEditLength = options.maxEditLength ?? DEFAULT_MAX_EDIT_LENGTH;
  if (context !== 'all' && !(Number.isInteger(context) && context >= 0)) {
    throw new RangeError('compareTexts: context must be a non-negative integer or "all"');
  }
  if (!(timeoutMs >= 0)) throw new RangeError('compareTexts: timeoutMs must be a non-negative number');
  if (!(maxEditLength >= 0)) throw new RangeError('compareTexts: maxEditLength must be a non-negative number');
  return { context, timeoutMs, maxEditLength };
}

/** Lines into hunks (first budget), then moves, pairs and highlights (second, half as long) into entries. */
function buildComparison(oldLines: string[], newLines: string[], settings: Settings): Comparison {
  const budget: LineBudget = { deadline: Date.now() + settings.timeoutMs, maxEditLength: settings.maxEditLength, coarse: false };
  const hunks = lineHunks(oldLines, newLines, budget);
  const work: Work = {
    oldLines, newLines,
    oldMove: new Int32Array(oldLines.length),
    newMove: new Int32Array(newLines.length),
    deadline: Date.now() + settings.timeoutMs / 2,
    showContext: settings.context !== 0,
    notes: new Set(budget.coarse ? [NOTE_LINES] : []),
    entries: [],
    stats: { added: 0, deleted: 0, changed: 0, moved: 0 },
  };
  markMoves(work, hunks);
  writeEntries(work, hunks, settings.context);
  return finish(work.entries, work.notes, work.stats);
}
