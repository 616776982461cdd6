/** The compare model of SPEC section 5: entries, word highlights and stats, as every diff module shares them. */

/** Changed words inside a `change` line, in UTF-16 units: into the new line for add, the old line for delete. */
export interface HighlightRange {
  start: number;
  length: number;
  type: 'add' | 'delete';
}

/** One line of an edit script: unchanged (context), added, deleted, or changed in place. */
export interface DiffEntry {
  type: 'context' | 'add' | 'delete' | 'change';
  /** Line content without '\n': the old line for delete, the new line otherwise. */
  text: string;
  /** For change: the old line. */
  old_text?: string;
  /** 1-based line in the older text (absent on add). */
  from_line?: number;
  /** 1-based line in the newer text (absent on delete). */
  to_line?: number;
  /** For change only: the changed words. */
  highlight_ranges?: HighlightRange[];
  /** A moved paragraph: its delete entries and its add entries share one move_id. */
  move_id?: string;
}

/** The result of compareTexts: an exact edit script plus whether and why part of it is coarse. */
export interface Comparison {
  /** Complete edit script from older to newer, in reading order, with context lines as asked. */
  entries: DiffEntry[];
  /** True when a budget ran out and a coarser comparison was used for part of the texts. */
  coarse: boolean;
  /** Why the comparison is coarse; present only when `coarse`. */
  note?: string;
  /** Lines in add / delete / change entries (moved lines count as added and deleted); moved paragraphs. */
  stats: { added: number; deleted: number; changed: number; moved: number };
}

/** How much context to show and how much time and edit distance the comparison may spend. */
export interface CompareOptions {
  /** Unchanged lines shown around each change, or 'all'; default 3. */
  context?: number | 'all';
  /** Budget for the line diff; pairing and word highlights get half as much again. Default 200. */
  timeoutMs?: number;
  /** Largest edit distance, in lines, worth an exact line diff; past it, patience anchoring. Default 1000. */
  maxEditLength?: number;
}
