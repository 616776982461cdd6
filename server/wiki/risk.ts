/**
 * A risk score (0 to 100) for every edit, with the reasons a patroller would want to see.
 * Pure: the caller supplies the facts, including the author's recent pace. Help:Patrolling
 * explains the weights. Every text check is one linear pass (no backtracking regex), because
 * it runs on every save of up to 1 MiB.
 */
import { commonEnds } from './diff/commonEnds.js';

export interface RiskFacts {
  oldText: string | null;
  newText: string;
  tags: string[];
  temporaryAccount: boolean;
  /** The author's saves in the last ten minutes, this one included. */
  recentEdits: number;
}

export interface Risk {
  score: number;
  reasons: string[];
}

/** What the texts alone say; worked out before the save's transaction (edit.ts), scored inside it. */
export interface TextSignals {
  /** Footnote references the edit removed (0 when it added some). */
  referencesRemoved: number;
  /** The added lines repeat one character ten or more times in a row. */
  repeated: boolean;
  /** The added lines are mostly capital letters. */
  shouting: boolean;
}

/** Each signal, its weight, and the reason shown beside the score. */
export const WEIGHTS = {
  blanking: 45,
  'large-removal': 30,
  'external-links': 20,
  'new-user': 10,
  temporary: 15,
  references: 20,
  repeated: 20,
  shouting: 20,
  burst: 15,
  revert: -20,
} as const;

export const BURST_EDITS = 5;
const REPEAT_RUN = 10;
const SHOUTING_MIN_LETTERS = 20;
const SHOUTING_SHARE = 0.7;
/** The characters that end a footnote label: `]` or white space. */
const LABEL_END = /[\]\s]/g;
const WHITE_SPACE = /^\s$/u;
const NOT_LETTERS = /\P{L}+/gu;
const NOT_CAPITALS = /\P{Lu}+/gu;

/**
 * Lines of the new text that the old text does not have, in order, joined by newlines (cheap and
 * good enough for signals). Only the new lines between the texts' common start and end are looked
 * up: every line wholly inside those is the old text's too. An edit changes a line or two of a page,
 * and splitting both texts and hashing every line was most of the signals' time in a save.
 */
export function addedText(oldText: string | null, newText: string): string {
  if (oldText === null) return newText;
  const { start, end } = changedLines(oldText, newText);
  const lines = newText.slice(start, end).split('\n');
  const old = linesAmong(oldText, lines);
  return lines.filter((l) => !old.has(l)).join('\n');
}

/**
 * The new text's lines [start, end) (offsets; `end` before the line's newline) that hold every
 * change: the lines before `start` lie inside the texts' common start, and those after `end` inside
 * their common end, each with the newline before it, so the old text has each of them whole.
 */
function changedLines(oldText: string, newText: string): { start: number; end: number } {
  const { prefix, suffix } = commonEnds(oldText, newText);
  const start = prefix === 0 ? 0 : newText.lastIndexOf('\n', prefix - 1) + 1;
  const newline = newText.indexOf('\n', newText.length - suffix);
  return { start, end: newline === -1 ? newText.length : newline };
}

/**
 * Which of `wanted` are whole lines of `text`. Only lines as long as one wanted are hashed, so a
 * few wanted lines cost a scan for newlines; linear in `text` however many are wanted.
 */
function linesAmong(text: string, wanted: string[]): Set<string> {
  const want = new Set(wanted);
  const lengths = new Set(wanted.map((l) => l.length));
  const found = new Set<string>();
  for (let at = 0; at <= text.length; ) {
    let newline = text.indexOf('\n', at);
    if (newline === -1) newline = text.length;
    if (lengths.has(newline - at)) {
      const line = text.slice(at, newline);
      if (want.has(line)) found.add(line);
    }
    at = newline + 1;
  }
  return found;
}

/**
 * How many footnote references a text has: `[^label]` not followed by `:` (that would be the
 * note itself), the label one or more characters other than `]` and white space. Counts exactly
 * what /\[\^[^\]\s]+\](?!:)/g matches, in one pass: that regex is quadratic on `[^[^[^…`, since
 * every `[^` scans to the end of the run and backtracks. Here every start inside one run shares
 * the run's end, so each character is scanned once.
 */
export function footnoteRefs(text: string): number {
  let count = 0;
  let end = -1; // where the label run that starts at `at + 2` stops, once known
  for (let at = text.indexOf('[^'); at !== -1; ) {
    if (end < at + 2) {
      LABEL_END.lastIndex = at + 2;
      end = LABEL_END.exec(text)?.index ?? text.length;
    }
    if (end > at + 2 && text.charCodeAt(end) === 0x5d && text.charCodeAt(end + 1) !== 0x3a) {
      count++;
      at = text.indexOf('[^', end + 1);
    } else {
      at = text.indexOf('[^', at + 1);
    }
  }
  return count;
}

/** Whether one character other than white space comes REPEAT_RUN or more times in a row (code points). */
export function repeatsCharacter(text: string): boolean {
  let run = 0;
  let previous = -1;
  for (let i = 0; i < text.length; ) {
    const point = text.codePointAt(i)!;
    i += point > 0xffff ? 2 : 1;
    run = point === previous ? run + 1 : 1;
    previous = point;
    // Tested once per run, when it gets long enough; a long run of spaces is not a signal.
    if (run === REPEAT_RUN && !WHITE_SPACE.test(String.fromCodePoint(point))) return true;
  }
  return false;
}

/** Code points in a string (a surrogate pair counts once). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff) n--;
  }
  return n;
}

/** Mostly capital letters: over 70% of at least 20 letters are upper case (Unicode Lu). */
export function shouting(text: string): boolean {
  const letters = text.replace(NOT_LETTERS, '');
  const total = codePoints(letters);
  if (total < SHOUTING_MIN_LETTERS) return false;
  return codePoints(letters.replace(NOT_CAPITALS, '')) / total > SHOUTING_SHARE;
}

/** The signals of an edit that depend on its texts only. Linear in their length. */
export function textSignals(oldText: string | null, newText: string): TextSignals {
  const added = addedText(oldText, newText);
  const before = oldText === null ? 0 : footnoteRefs(oldText);
  return {
    referencesRemoved: Math.max(0, before - footnoteRefs(newText)),
    repeated: repeatsCharacter(added),
    shouting: shouting(added),
  };
}

/** The score for text signals worked out earlier and the facts known at save time. */
export function scoreRisk(signals: TextSignals, f: Omit<RiskFacts, 'oldText' | 'newText'>): Risk {
  const reasons: string[] = [];
  let score = 0;
  const add = (weight: number, reason: string) => {
    score += weight;
    reasons.push(reason);
  };
  if (f.tags.includes('blanking')) add(WEIGHTS.blanking, 'blanks the page');
  else if (f.tags.includes('large-removal')) add(WEIGHTS['large-removal'], 'removes over half the text');
  if (f.tags.includes('external-links')) add(WEIGHTS['external-links'], 'adds 3 or more external links');
  if (f.temporaryAccount) add(WEIGHTS.temporary, 'by a temporary account');
  else if (f.tags.includes('new-user')) add(WEIGHTS['new-user'], 'by a new user');
  const removed = signals.referencesRemoved;
  if (removed > 0) add(WEIGHTS.references, `removes ${removed} reference${removed === 1 ? '' : 's'}`);
  if (signals.repeated) add(WEIGHTS.repeated, 'repeats a character many times');
  if (signals.shouting) add(WEIGHTS.shouting, 'mostly capital letters');
  if (f.recentEdits >= BURST_EDITS) add(WEIGHTS.burst, `${f.recentEdits} edits in ten minutes`);
  if (f.tags.includes('revert') && score > 0) {
    score += WEIGHTS.revert;
    reasons.push('restores an earlier text');
  }
  return { score: Math.max(0, Math.min(100, score)), reasons };
}

/** The risk of an edit from all its facts (textSignals, then scoreRisk). Linear in the texts. */
export function riskOf(f: RiskFacts): Risk {
  return scoreRisk(textSignals(f.oldText, f.newText), f);
}
