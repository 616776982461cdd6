/** A lower nesting limit for inline syntax (links, images, notes) than for blocks, so runs of "[" stay cheap. */
import type { StateInline } from 'markdown-it';

/**
 * Deepest inline nesting that is parsed as syntax; deeper text is plain text. Far beyond anything
 * written by hand (`**[*a*](u)**` is 3).
 *
 * markdown-it has one `maxNesting` (100) for blocks and inline. Inline, it is how far a run of "["
 * or "![" or "^[" recurses while looking for the end of each label, so every such byte costs up to
 * 100 steps: 1 MiB of "![" took 4.9 s, against 0.9 s at 20. Blocks keep 100: there the limit drops
 * the rest of the container (ten nested lists already reach level 20), while inline it only turns
 * the excess into text.
 */
export const INLINE_NESTING = 20;

/**
 * Inline rule, first in the chain: beyond INLINE_NESTING it does what markdown-it does beyond
 * maxNesting. In validation mode (silent, where skipToken has already raised the level by one) it
 * gives up on the rest of the text; otherwise it takes one character as text.
 */
export function inlineNestingRule(state: StateInline, silent: boolean): boolean {
  if (state.level - (silent ? 1 : 0) < INLINE_NESTING) return false;
  if (silent) state.pos = state.posMax;
  else state.pending += state.src[state.pos++];
  return true;
}
