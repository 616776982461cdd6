/** Marking edits as reviewed by an admin (patrol). */
import type { Stores } from '../db/stores.js';
import { NotFoundError } from './errors.js';
import type { Actor } from './types.js';

/** Mark revision `id` reviewed; false when it already was. @throws NotFoundError */
export function patrol(stores: Stores, by: Actor, id: number): boolean {
  if (!stores.revisions.byId(id)) throw new NotFoundError(`Revision ${id} does not exist.`);
  return stores.review.markPatrolled(id, by.id, new Date().toISOString());
}
