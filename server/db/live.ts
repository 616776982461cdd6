/** What "a live page" means in SQL, defined once: it has a latest revision and no tombstone title. */

/**
 * The condition on the page table, aliased `alias` (none for an unaliased `page`). Deleted pages
 * keep their rows under a tombstone title starting with "#", which no valid title can; a page row
 * without a latest revision exists only inside the transaction that creates it. A constant: no
 * value ever reaches it.
 */
export function livePage(alias?: string): string {
  const p = alias ? `${alias}.` : '';
  return `${p}latest_id IS NOT NULL AND ${p}title NOT LIKE '#%'`;
}
