/** Diff rendering: a Comparison (server/wiki/diff.ts) as a side-by-side or inline table. */
import { html, type Html } from '../html.js';
import type { Comparison, DiffEntry, HighlightRange } from '../../server/wiki/diff.js';

export interface DiffTableOptions {
  view?: 'side' | 'inline';
  oldLabel?: string;
  newLabel?: string;
  /** Unchanged runs longer than this collapse into a "show N unchanged lines" toggle. */
  collapseOver?: number;
}

const KEEP = 3;
// Every table, nested ones in folds included, declares its columns so fixed layout can size them.
const SIDE_COLS = html`<colgroup><col class="diff-lineno"><col class="diff-text"><col class="diff-lineno"><col class="diff-text"></colgroup>`;
const INLINE_COLS = html`<colgroup><col class="diff-lineno"><col class="diff-lineno"><col class="diff-text"></colgroup>`;

/** Mark the ranges of one line: removed words as <del>, added words as <ins>. */
function highlighted(line: string, ranges: HighlightRange[] | undefined, type: 'add' | 'delete'): Html {
  const mine = (ranges ?? []).filter((r) => r.type === type).sort((a, b) => a.start - b.start);
  if (mine.length === 0) return html`${line}`;
  const parts: Html[] = [];
  let at = 0;
  for (const r of mine) {
    if (r.start < at) continue;
    parts.push(html`${line.slice(at, r.start)}`);
    const word = line.slice(r.start, r.start + r.length);
    parts.push(type === 'add' ? html`<ins>${word}</ins>` : html`<del>${word}</del>`);
    at = r.start + r.length;
  }
  parts.push(html`${line.slice(at)}`);
  return html`${parts}`;
}

type Row =
  | { kind: 'context'; entry: DiffEntry }
  | { kind: 'pair'; left?: DiffEntry; right?: DiffEntry }
  | { kind: 'fold'; rows: Row[] };

/** Pair deletes with adds of the same hunk, side by side; fold long unchanged runs. */
function rows(entries: DiffEntry[], collapseOver: number): Row[] {
  const out: Row[] = [];
  let dels: DiffEntry[] = [];
  let adds: DiffEntry[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) out.push({ kind: 'pair', left: dels[i], right: adds[i] });
    dels = [];
    adds = [];
  };
  for (const e of entries) {
    if (e.type === 'delete') dels.push(e);
    else if (e.type === 'add') adds.push(e);
    else {
      flush();
      out.push(e.type === 'change' ? { kind: 'pair', left: e, right: e } : { kind: 'context', entry: e });
    }
  }
  flush();
  return fold(out, collapseOver);
}

function fold(list: Row[], collapseOver: number): Row[] {
  const out: Row[] = [];
  let run: Row[] = [];
  const end = (last: boolean) => {
    const head = out.length === 0 ? 0 : KEEP;
    const tail = last ? 0 : KEEP;
    if (run.length > collapseOver && run.length > head + tail) {
      out.push(...run.slice(0, head), { kind: 'fold', rows: run.slice(head, run.length - tail) }, ...run.slice(run.length - tail));
    } else out.push(...run);
    run = [];
  };
  for (const r of list) {
    if (r.kind === 'context') run.push(r);
    else {
      end(false);
      out.push(r);
    }
  }
  end(true);
  return out;
}

function moveMark(e: DiffEntry | undefined, side: 'from' | 'to'): Html | null {
  if (!e?.move_id) return null;
  const other = side === 'from' ? 'to' : 'from';
  return html`<a class="move-link" id="${e.move_id}-${side}" href="#${e.move_id}-${other}" title="${side === 'from' ? 'Moved to' : 'Moved from'} another place">${side === 'from' ? '⇢ moved' : '⇠ moved'}</a>`;
}

function lineNo(n: number | undefined): Html {
  return html`<td class="diff-lineno">${n ?? ''}</td>`;
}

function sideRow(r: Row): Html {
  if (r.kind === 'fold') {
    return html`<tr class="diff-fold"><td colspan="4"><details><summary>Show ${r.rows.length} unchanged lines</summary>
      <table class="diff diff-side">${SIDE_COLS}${r.rows.map(sideRow)}</table></details></td></tr>`;
  }
  if (r.kind === 'context') {
    const e = r.entry;
    return html`<tr class="diff-context">${lineNo(e.from_line)}<td class="diff-text">${e.text}</td>${lineNo(e.to_line)}<td class="diff-text">${e.text}</td></tr>`;
  }
  const { left, right } = r;
  const change = left?.type === 'change';
  const leftText = change ? highlighted(left!.old_text ?? '', left!.highlight_ranges, 'delete') : left ? html`${left.text}` : null;
  const rightText = change ? highlighted(right!.text, right!.highlight_ranges, 'add') : right ? html`${right.text}` : null;
  const leftCls = left ? (left.move_id ? 'diff-deleted diff-moved' : 'diff-deleted') : 'diff-empty';
  const rightCls = right ? (right.move_id ? 'diff-added diff-moved' : 'diff-added') : 'diff-empty';
  return html`<tr class="diff-change">${lineNo(left?.from_line)}<td class="diff-text ${leftCls}">${moveMark(change ? undefined : left, 'from')}${leftText}</td>${lineNo(right?.to_line)}<td class="diff-text ${rightCls}">${moveMark(change ? undefined : right, 'to')}${rightText}</td></tr>`;
}

function inlineRow(r: Row): Html {
  if (r.kind === 'fold') {
    return html`<tr class="diff-fold"><td colspan="3"><details><summary>Show ${r.rows.length} unchanged lines</summary>
      <table class="diff diff-inline">${INLINE_COLS}${r.rows.map(inlineRow)}</table></details></td></tr>`;
  }
  if (r.kind === 'context') {
    return html`<tr class="diff-context">${lineNo(r.entry.from_line)}${lineNo(r.entry.to_line)}<td class="diff-text"> ${r.entry.text}</td></tr>`;
  }
  const { left, right } = r;
  if (left?.type === 'change') {
    return html`<tr class="diff-change">${lineNo(left.from_line)}${lineNo(undefined)}<td class="diff-text diff-deleted">−${highlighted(left.old_text ?? '', left.highlight_ranges, 'delete')}</td></tr>
      <tr class="diff-change">${lineNo(undefined)}${lineNo(left.to_line)}<td class="diff-text diff-added">+${highlighted(left.text, left.highlight_ranges, 'add')}</td></tr>`;
  }
  return html`${left ? html`<tr class="diff-change">${lineNo(left.from_line)}${lineNo(undefined)}<td class="diff-text diff-deleted${left.move_id ? ' diff-moved' : ''}">−${moveMark(left, 'from')}${left.text}</td></tr>` : null}
    ${right ? html`<tr class="diff-change">${lineNo(undefined)}${lineNo(right.to_line)}<td class="diff-text diff-added${right.move_id ? ' diff-moved' : ''}">+${moveMark(right, 'to')}${right.text}</td></tr>` : null}`;
}

/** The diff table; an identical pair says so instead. */
export function diffTable(c: Comparison, o: DiffTableOptions = {}): Html {
  const list = rows(c.entries, o.collapseOver ?? 2 * KEEP + 1);
  const changed = c.entries.some((e) => e.type !== 'context');
  const note = c.note ? html`<p class="diff-note" role="note">${c.note}</p>` : null;
  if (!changed) return html`${note}<p class="diff-empty-note">No difference: the two texts are identical.</p>`;
  if (o.view === 'inline') {
    return html`${note}<table class="diff diff-inline"><caption class="visually-hidden">Changes, inline</caption>${INLINE_COLS}${list.map(inlineRow)}</table>`;
  }
  return html`${note}<table class="diff diff-side">
    <caption class="visually-hidden">Changes, side by side</caption>
    ${SIDE_COLS}
    <thead><tr><th colspan="2">${o.oldLabel ?? 'Older'}</th><th colspan="2">${o.newLabel ?? 'Newer'}</th></tr></thead>
    ${list.map(sideRow)}
  </table>`;
}
