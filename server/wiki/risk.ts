/**
 * A risk score (0 to 100) for every edit, with the reasons a patroller would want to see.
 * Pure: the caller supplies the facts, including the author's recent pace. Help:Patrolling
 * explains the weights.
 */

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
const FOOTNOTE_REF = /\[\^[^\]\s]+\](?!:)/g;

/** Lines of the new text that the old text does not have (cheap and good enough for signals). */
function addedText(oldText: string | null, newText: string): string {
  if (oldText === null) return newText;
  const old = new Set(oldText.split('\n'));
  return newText.split('\n').filter((l) => !old.has(l)).join('\n');
}

function shouting(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < 20) return false;
  const upper = letters.filter((c) => c !== c.toLowerCase() && c === c.toUpperCase()).length;
  return upper / letters.length > 0.7;
}

export function riskOf(f: RiskFacts): Risk {
  const reasons: string[] = [];
  let score = 0;
  const add = (weight: number, reason: string) => {
    score += weight;
    reasons.push(reason);
  };
  const added = addedText(f.oldText, f.newText);
  if (f.tags.includes('blanking')) add(WEIGHTS.blanking, 'blanks the page');
  else if (f.tags.includes('large-removal')) add(WEIGHTS['large-removal'], 'removes over half the text');
  if (f.tags.includes('external-links')) add(WEIGHTS['external-links'], 'adds 3 or more external links');
  if (f.temporaryAccount) add(WEIGHTS.temporary, 'by a temporary account');
  else if (f.tags.includes('new-user')) add(WEIGHTS['new-user'], 'by a new user');
  const refsBefore = f.oldText?.match(FOOTNOTE_REF)?.length ?? 0;
  const refsAfter = f.newText.match(FOOTNOTE_REF)?.length ?? 0;
  if (refsAfter < refsBefore) add(WEIGHTS.references, `removes ${refsBefore - refsAfter} reference${refsBefore - refsAfter === 1 ? '' : 's'}`);
  if (/(\S)\1{9,}/u.test(added)) add(WEIGHTS.repeated, 'repeats a character many times');
  if (shouting(added)) add(WEIGHTS.shouting, 'mostly capital letters');
  if (f.recentEdits >= BURST_EDITS) add(WEIGHTS.burst, `${f.recentEdits} edits in ten minutes`);
  if (f.tags.includes('revert') && score > 0) {
    score += WEIGHTS.revert;
    reasons.push('restores an earlier text');
  }
  return { score: Math.max(0, Math.min(100, score)), reasons };
}
