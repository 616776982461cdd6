/** Gathers the facts rights.ts decides on (protection, blocks) and refuses with a clear WikiError. */
import type { Stores } from '../db/stores.js';
import { WikiError } from './errors.js';
import { refusal, type Right, type RightsContext } from './rights.js';
import type { Title } from './title.js';
import type { Actor } from './types.js';

export interface Who {
  actor: Actor | undefined;
  ip: string | undefined;
}

/** The rights context of acting on `title` (which may not exist yet). */
export function rightsContext(stores: Stores, anonEdits: boolean, who: Who, title?: Title, now = new Date().toISOString()): RightsContext {
  const page = title ? stores.pages.byTitle(title) : undefined;
  return {
    anonEdits,
    protection: page ? stores.protection.get(page.id, now) : undefined,
    // Admins are not stopped by an IP block of the address they share with others.
    block: stores.blocks.activeFor(who.actor?.id, who.actor?.role === 'admin' ? undefined : who.ip, now),
  };
}

/**
 * @throws WikiError 'unauthorized' (logging in would help) or 'forbidden', with the reason.
 */
export function requireRight(stores: Stores, anonEdits: boolean, who: Who, right: Right, title?: Title): void {
  const no = refusal(who.actor, right, rightsContext(stores, anonEdits, who, title));
  if (no) throw new WikiError(no.status === 401 ? 'unauthorized' : 'forbidden', no.message);
}
