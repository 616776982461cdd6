/** What MediaWiki's tools expect of any wiki (SPEC section 10), in one place for the Action API and XML dumps. */
import type { Namespace, Title } from './title.js';

/** The version clients read the API level from; dumps name their generator so too. */
export const GENERATOR = 'MediaWiki 1.39.0 (Peerwiki 1.0)';

/** MediaWiki's namespace numbers for this wiki's namespaces (a talk page of Help:X is Talk:Help:X, in 1). */
export const NAMESPACE_IDS: Readonly<Record<Namespace, number>> = { '': 0, Talk: 1, User: 2, 'User talk': 3, Peerwiki: 4, Help: 12, Category: 14 };

export function namespaceOf(title: Title): number {
  return NAMESPACE_IDS[title.namespace];
}

/** MediaWiki writes timestamps as ISO 8601 to the second, in UTC. */
export function mwTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** A SHA-1 (hex) as MediaWiki's dumps and tables write it: base 36, 31 digits. */
export function sha1Base36(hex: string): string {
  return BigInt(`0x${hex}`).toString(36).padStart(31, '0');
}
