/**
 * A deflate dictionary trained on the wiki's own texts (content.ts). Deflate starts every text with
 * an empty window, so a page's first kilobytes pay full price for words every page repeats. Given
 * 32 KiB of the wiki's common words and phrases up front, it refers back to them instead: the
 * latest texts of the benchmark's generated wiki deflate to 37% of their size instead of 49%
 * (zstd's trained dictionaries, with zlib's preset dictionary).
 *
 * The samples are the newest texts of different pages (content.ts), and only words and two-word
 * phrases found in at least MIN_TEXTS of them go in, never a passage of one page: a dictionary
 * outlives every text it was trained on (rows compressed with it need it), so it must hold nothing
 * that deleting or suppressing a page should take away.
 */

/** zlib's window: a longer dictionary is cut to its last 32 KiB. */
export const DICTIONARY_BYTES = 32 * 1024;
/** Fewer sampled texts than this say too little about the wiki: no dictionary yet. */
export const MIN_SAMPLES = 16;
/** How many texts a training samples, spread over the pages. */
export const SAMPLE_TEXTS = 64;
/** A sampled text counts with at most this many characters: training is bounded whatever the pages hold. */
export const SAMPLE_CHARS = 16 * 1024;
/** A word or phrase must be in this many sampled texts (so many different pages) to go in. */
const MIN_TEXTS = 3;

/** A word with the spaces after it: the unit the dictionary is made of (any script, no stemming). */
const TOKEN = /\S+\s*/gu;

/**
 * The dictionary for `samples` (the wiki's texts), or undefined when they are too few or share too
 * little. Linear in the samples' length (each cut to SAMPLE_CHARS) plus a sort of their distinct
 * words and phrases. The phrases worth most (occurrences times length) go last, where deflate's
 * back-references are shortest.
 */
export function trainDictionary(samples: readonly string[]): Buffer | undefined {
  if (samples.length < MIN_SAMPLES) return undefined;
  const count = new Map<string, number>();
  const texts = new Map<string, number>();
  for (const sample of samples) {
    const tokens = sample.slice(0, SAMPLE_CHARS).match(TOKEN) ?? [];
    const seen = new Set<string>();
    const note = (key: string) => {
      count.set(key, (count.get(key) ?? 0) + 1);
      if (!seen.has(key)) {
        seen.add(key);
        texts.set(key, (texts.get(key) ?? 0) + 1);
      }
    };
    for (let i = 0; i < tokens.length; i++) {
      note(tokens[i]!);
      if (i + 1 < tokens.length) note(tokens[i]! + tokens[i + 1]!);
    }
  }
  const worth: Array<{ key: string; bytes: number; value: number }> = [];
  for (const [key, n] of count) {
    if ((texts.get(key) ?? 0) < MIN_TEXTS) continue;
    const bytes = Buffer.byteLength(key, 'utf8');
    // A back-reference costs about two bytes: shorter keys save nothing.
    if (bytes > 2) worth.push({ key, bytes, value: n * (bytes - 2) });
  }
  worth.sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : 1));
  const chosen: string[] = [];
  let used = 0;
  for (const w of worth) {
    if (used + w.bytes > DICTIONARY_BYTES) continue;
    chosen.push(w.key);
    used += w.bytes;
  }
  if (used < 1024) return undefined;
  return Buffer.from(chosen.reverse().join(''), 'utf8');
}
