/** Revision tag rules of SPEC section 6 that follow from the texts and the author alone (pure, linear). */

export const NEW_USER_EDITS = 10;
// No nested or overlapping quantifiers: one greedy class run per match, so a scan is linear even
// on `http://http://…` (each match swallows the rest of its run and the search resumes after it).
const EXTERNAL_LINK = /\bhttps?:\/\/[^\s<>()\]]+/gi;

export interface EditFacts {
  /** The parent's text; null for a page's first revision. */
  oldText: string | null;
  newText: string;
  /** The author's edits before this one. */
  authorEdits: number;
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** How many external links a text has. */
export function externalLinkCount(text: string): number {
  return text.match(EXTERNAL_LINK)?.length ?? 0;
}

/**
 * The tags that follow from the texts: new, blanking (leaves under 10% of the text or under 50
 * bytes), large-removal (removes over half), external-links (adds 3 or more). Worked out before the
 * save's transaction (edit.ts): linear in the texts.
 */
export function textTags(f: Omit<EditFacts, 'authorEdits'>): string[] {
  const tags: string[] = [];
  const before = f.oldText === null ? 0 : bytes(f.oldText);
  const after = bytes(f.newText);
  if (f.oldText === null) tags.push('new');
  if (f.oldText !== null && after < before && (after < before * 0.1 || after < 50)) tags.push('blanking');
  if (f.oldText !== null && before - after > before / 2) tags.push('large-removal');
  if (externalLinkCount(f.newText) - (f.oldText === null ? 0 : externalLinkCount(f.oldText)) >= 3) tags.push('external-links');
  return tags;
}

/** The tags that follow from the author: new-user (under 10 edits before this one). */
export function authorTags(authorEdits: number): string[] {
  return authorEdits < NEW_USER_EDITS ? ['new-user'] : [];
}

/** Every signal tag: textTags and authorTags together. */
export function signalTags(f: EditFacts): string[] {
  return [...textTags(f), ...authorTags(f.authorEdits)];
}
