/** markdown-it's core 'normalize' rule, without its scans of texts that need none. */
import type { StateCore } from 'markdown-it';

/**
 * Line endings become \n and NUL becomes U+FFFD, as markdown-it's own rule does. That rule replaces
 * every \n with itself (its pattern is /\r\n?|\n/), which was a twentieth of every parse; saved
 * texts have no \r (edit.ts normalizes them), so usually neither replace runs at all.
 */
export function normalizeRule(state: StateCore): void {
  let src = state.src;
  if (src.includes('\r')) src = src.replace(/\r\n?/g, '\n');
  if (src.includes('\0')) src = src.replace(/\0/g, '\uFFFD');
  state.src = src;
}
