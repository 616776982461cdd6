/**
 * Signatures (SPEC section 11), expanded when a page is saved, as MediaWiki's pre-save transform
 * does: `~~~~` is the author's name (a link to their user page and their talk page) and the UTC
 * time, `~~~` the name alone, `~~~~~` the time alone. Never inside code: fenced and indented code
 * blocks and code spans keep their tildes. One pass over the text, whatever it holds.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "14:05, 1 December 2026 (UTC)", as MediaWiki signs. */
export function signatureTime(now: Date): string {
  const hh = String(now.getUTCHours()).padStart(2, '0');
  const mm = String(now.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm}, ${now.getUTCDate()} ${MONTHS[now.getUTCMonth()]} ${now.getUTCFullYear()} (UTC)`;
}

/** Whether a text holds a run of three to five tildes: a save need look no further when it does not. */
export function mayHaveSignatures(text: string): boolean {
  return text.includes('~~~');
}

/** `text` with its signatures expanded for `name` at `now` (see the module comment). */
export function expandSignatures(text: string, name: string, now: Date): string {
  if (!mayHaveSignatures(text)) return text;
  const signature = `[[User:${name}|${name}]] ([[User talk:${name}|talk]])`;
  const time = signatureTime(now);
  const byLength: Record<number, string> = { 3: signature, 4: `${signature} ${time}`, 5: time };
  const lines = text.split('\n');
  let fence: { char: string; length: number } | undefined;
  let previousBlank = true;
  let inIndentedCode = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      // A closing fence: the same character, at least as long, nothing after it but spaces.
      if (opener && opener[1]![0] === fence.char && opener[1]!.length >= fence.length && line.slice(opener[0].length).trim() === '') fence = undefined;
      previousBlank = false;
      continue;
    }
    if (opener && !(opener[1]![0] === '`' && line.slice(opener[0].length).includes('`'))) {
      fence = { char: opener[1]![0]!, length: opener[1]!.length };
      previousBlank = false;
      continue;
    }
    const blank = line.trim() === '';
    // Indented code starts after a blank line and runs on while lines stay indented (or blank).
    inIndentedCode = !blank && /^(?: {4}|\t)/.test(line) && (previousBlank || inIndentedCode) ? true : blank ? inIndentedCode : false;
    previousBlank = blank;
    if (inIndentedCode || blank || !line.includes('~~~')) continue;
    lines[i] = outsideCodeSpans(line, (part) => part.replace(/~{3,}/g, (run) => byLength[run.length] ?? run));
  }
  return lines.join('\n');
}

/**
 * `line` with `change` applied to the text outside its code spans (a run of N backticks up to the
 * next run of exactly N). The runs are listed once and each is paired with the next of its length
 * from a table built back to front, so the line is read a fixed number of times.
 */
function outsideCodeSpans(line: string, change: (part: string) => string): string {
  const runs: Array<{ start: number; end: number }> = [];
  for (const m of line.matchAll(/`+/g)) runs.push({ start: m.index, end: m.index + m[0].length });
  if (runs.length < 2) return change(line);
  const nextSame: number[] = new Array<number>(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const length = runs[i]!.end - runs[i]!.start;
    nextSame[i] = seen.get(length) ?? -1;
    seen.set(length, i);
  }
  let out = '';
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const close = nextSame[i]!;
    if (close === -1) continue;
    out += change(line.slice(at, runs[i]!.start)) + line.slice(runs[i]!.start, runs[close]!.end);
    at = runs[close]!.end;
    i = close;
  }
  return out + change(line.slice(at));
}
