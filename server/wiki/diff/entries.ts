/** Writing the edit script: context around each hunk, then its deletes, adds and change pairs in reading order. */
import type { DiffEntry } from './model.js';
import type { Hunk } from './lines.js';
import type { Work } from './work.js';
import { highlight, pairLines } from './words.js';

/**
 * Appends to `work.entries` the whole edit script for `hunks`, with `context` unchanged lines around
 * each (all of them for 'all'), and counts added, deleted and changed lines in `work.stats`.
 */
export function writeEntries(work: Work, hunks: Hunk[], context: number | 'all'): void {
  const around = context === 'all' ? Infinity : context;
  let a = 0;
  let b = 0;
  hunks.forEach((h, k) => {
    writeUnchanged(work, a, h.a0, b, k === 0 ? 0 : around, around);
    writeHunk(work, h);
    a = h.a1;
    b = h.b1;
  });
  // After the last hunk only a head is shown; with no hunks at all, context 'all' still lists every line.
  const head = hunks.length > 0 ? around : context === 'all' ? Infinity : 0;
  writeUnchanged(work, a, work.oldLines.length, b, head, 0);
}

/** Unchanged old lines [a0, a1) (new lines from b0): the first `head` and the last `tail` of them. */
function writeUnchanged(work: Work, a0: number, a1: number, b0: number, head: number, tail: number): void {
  const length = a1 - a0;
  const write = (k: number): void => {
    work.entries.push({ type: 'context', text: work.oldLines[a0 + k]!, from_line: a0 + k + 1, to_line: b0 + k + 1 });
  };
  if (head + tail >= length) {
    for (let k = 0; k < length; k++) write(k);
    return;
  }
  for (let k = 0; k < head; k++) write(k);
  for (let k = length - tail; k < length; k++) write(k);
}

function writeHunk(work: Work, h: Hunk): void {
  const deleted: number[] = [];
  const added: number[] = [];
  for (let i = h.a0; i < h.a1; i++) if (work.oldMove[i] === 0) deleted.push(i);
  for (let j = h.b0; j < h.b1; j++) if (work.newMove[j] === 0) added.push(j);
  let i = h.a0;
  let j = h.b0;
  for (const [pi, pj] of pairLines(work, deleted, added)) {
    while (i < pi) writeDelete(work, i++);
    while (j < pj) writeAdd(work, j++);
    if (work.oldLines[i] === work.newLines[j]) writeSame(work, i++, j++);
    else writeChange(work, i++, j++);
  }
  while (i < h.a1) writeDelete(work, i++);
  while (j < h.b1) writeAdd(work, j++);
}

/**
 * An identical pair inside a hunk is unchanged: valid as context because pairs keep order on both
 * sides, and left out (implied) when no context is asked for.
 */
function writeSame(work: Work, i: number, j: number): void {
  if (work.showContext) work.entries.push({ type: 'context', text: work.oldLines[i]!, from_line: i + 1, to_line: j + 1 });
}

function writeDelete(work: Work, i: number): void {
  const entry: DiffEntry = { type: 'delete', text: work.oldLines[i]!, from_line: i + 1 };
  if (work.oldMove[i]) entry.move_id = `m${work.oldMove[i]}`;
  work.entries.push(entry);
  work.stats.deleted++;
}

function writeAdd(work: Work, j: number): void {
  const entry: DiffEntry = { type: 'add', text: work.newLines[j]!, to_line: j + 1 };
  if (work.newMove[j]) entry.move_id = `m${work.newMove[j]}`;
  work.entries.push(entry);
  work.stats.added++;
}

function writeChange(work: Work, i: number, j: number): void {
  const oldLine = work.oldLines[i]!;
  const newLine = work.newLines[j]!;
  work.entries.push({
    type: 'change', text: newLine, old_text: oldLine, from_line: i + 1, to_line: j + 1,
    highlight_ranges: highlight(work, oldLine, newLine),
  });
  work.stats.changed++;
}
