/** Marking edits as reviewed by an admin (patrol). */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import type { Actor } from './types.js';

/**
 * Mark revision `id` reviewed; false when it already was (then nothing changed and the feed hears
 * nothing). One statement, so no transaction: the feed delivers its event at once.
 * @throws NotFoundError when there is no such revision.
 */
export function patrol(stores: Stores, by: Actor, id: number): boolean {
  const revision = stores.revisions.byId(id);
  if (!revision) throw new NotFoundError(`Revision ${id} does not exist.`);
  const now = new Date().toISOString();
  if (!stores.review.markPatrolled(id, by.id, now)) return false;
  stores.feed.note({ type: 'patrol', revisionId: id, pageId: revision.pageId, actorId: by.id, timestamp: now, linkColours: [] });
  return true;
}
