/** Escaping text for HTML, dependency-free: the one rule that views and the domain's excerpts both use. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` with & < > " ' as entities: safe in HTML text and in quoted attribute values. Never throws. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
