/** Applying an edit script to the older text, and compareTexts' self-check with its last-resort fallback. */
import type { Comparison, DiffEntry } from './model.js';
import { finish } from './work.js';

const NOTE_SELF_CHECK = 'The detailed comparison failed its self-check, so the whole text is shown as replaced.';

/**
 * Applies the non-context entries to the older text and returns the newer text. Entry order does
 * not matter: add and change lines go to their `to_line`, and the old lines no entry removes fill
 * the other places in order. Context entries are checked, not applied.
 * @throws Error when the entries do not fit the text (bad line numbers, a line removed twice, a
 *   delete or context whose text is not the old line, or a context line that would land elsewhere).
 */
export function applyEditScript(oldText: string, entries: DiffEntry[]): string {
  const old = oldText.split('\n');
  const removed = new Uint8Array(old.length);
  const placed = new Map<number, string>();
  for (const entry of entries) {
    if (entry.type === 'delete' || entry.type === 'change') removeOld(old, removed, entry);
    if (entry.type === 'add' || entry.type === 'change') placeNew(placed, entry);
  }
  const { lines, source } = weave(old, removed, placed);
  for (const entry of entries) if (entry.type === 'context') checkContext(old, source, entry);
  return lines.join('\n');
}

function invalid(why: string): never {
  throw new Error(`invalid edit script: ${why}`);
}

function lineIndex(line: number | undefined, length: number, what: string): number {
  if (line === undefined || !Number.isInteger(line) || line < 1 || line > length) invalid(`${what} ${String(line)} is out of range`);
  return line - 1;
}

function removeOld(old: string[], removed: Uint8Array, entry: DiffEntry): void {
  const i = lineIndex(entry.from_line, old.length, 'from_line');
  if (removed[i]) invalid(`old line ${i + 1} is removed twice`);
  const expected = entry.type === 'delete' ? entry.text : entry.old_text;
  if (expected !== undefined && expected !== old[i]) invalid(`old line ${i + 1} is not the text the entry names`);
  removed[i] = 1;
}

function placeNew(placed: Map<number, string>, entry: DiffEntry): void {
  const j = lineIndex(entry.to_line, Number.MAX_SAFE_INTEGER, 'to_line');
  if (placed.has(j)) invalid(`new line ${j + 1} is given twice`);
  placed.set(j, entry.text);
}

/** The new lines, and for each the old index it came from (-1 for added or changed lines). */
function weave(old: string[], removed: Uint8Array, placed: Map<number, string>): { lines: string[]; source: Int32Array } {
  const kept = old.length - removed.reduce((sum, r) => sum + r, 0);
  const length = kept + placed.size;
  if (length === 0) invalid('the result has no lines (the empty text is one empty line)');
  for (const j of placed.keys()) if (j >= length) invalid(`to_line ${j + 1} is past the end of the new text`);
  const lines = new Array<string>(length);
  const source = new Int32Array(length).fill(-1);
  let i = 0;
  for (let j = 0; j < length; j++) {
    const text = placed.get(j);
    if (text !== undefined) {
      lines[j] = text;
      continue;
    }
    while (removed[i]) i++;
    lines[j] = old[i]!;
    source[j] = i++;
  }
  return { lines, source };
}

function checkContext(old: string[], source: Int32Array, entry: DiffEntry): void {
  const i = lineIndex(entry.from_line, old.length, 'from_line');
  const j = lineIndex(entry.to_line, source.length, 'to_line');
  if (old[i] !== entry.text) invalid(`context line ${i + 1} is not the old line`);
  if (source[j] !== i) invalid(`context line ${i + 1} would not be new line ${j + 1}`);
}

/** Whether `entries` turn `oldText` into exactly `newText` (a script that does not fit is false, not an error). */
export function appliesTo(oldText: string, entries: DiffEntry[], newText: string): boolean {
  try {
    return applyEditScript(oldText, entries) === newText;
  } catch {
    return false;
  }
}

/** Last resort, never expected: every old line deleted, every new line added. Correct by construction. */
export function replaceEverything(oldLines: string[], newLines: string[]): Comparison {
  const entries: DiffEntry[] = [
    ...oldLines.map((text, i): DiffEntry => ({ type: 'delete', text, from_line: i + 1 })),
    ...newLines.map((text, j): DiffEntry => ({ type: 'add', text, to_line: j + 1 })),
  ];
  const stats = { added: newLines.length, deleted: oldLines.length, changed: 0, moved: 0 };
  return finish(entries, new Set([NOTE_SELF_CHECK]), stats);
}
