/** Gathers the facts rights.ts decides on (protection, blocks) and refuses with a clear WikiError. */
import type { Stores } from '../db/stores.js';
import { canonicalAddress, lookupKeys, parseAddress } from './address.js';
import { autoblockAddress } from './autoblock.js';
import { BlockedError, WikiError } from './errors.js';
import { refusal, type Right, type RightsContext } from './rights.js';
import type { Title } from './title.js';
import type { Actor, Block, Protection } from './types.js';

export interface Who {
  actor: Actor | undefined;
  /** The client's address (any spelling; compared in canonical form). */
  ip: string | undefined;
}

// Any spelling of the address finds the blocks on it and on every range holding it.
function blockLookup(ip: string | undefined): { key: string; floor: string } | undefined {
  const addr = ip === undefined ? undefined : parseAddress(ip);
  return addr && lookupKeys(addr);
}

/** The block in force on `who` at `now`, if any. */
export function blockOf(stores: Stores, who: Who, now = new Date().toISOString()): Block | undefined {
  // Admins are not stopped by an IP block of the address they share with others; registered
  // accounts not by one of anonymous users only (temporary accounts are anonymous users).
  const actor = who.actor;
  return stores.blocks.activeFor(actor?.id, actor?.role === 'admin' ? undefined : blockLookup(who.ip), now, actor?.kind === 'user');
}

/** The protection in force on the page `title` at `now`; undefined when there is none (or no page). */
export function protectionOf(stores: Stores, title: Title | undefined, now = new Date().toISOString()): Protection | undefined {
  const page = title ? stores.pages.byTitle(title) : undefined;
  return page ? stores.protection.get(page.id, now) : undefined;
}

/** The rights context of acting on `title` (which may not exist yet). */
export function rightsContext(stores: Stores, anonEdits: boolean, who: Who, title?: Title, now = new Date().toISOString()): RightsContext {
  const block = blockOf(stores, who, now);
  return { anonEdits, protection: protectionOf(stores, title, now), block, ownTalk: block && title ? isOwnTalk(who.actor, title) : undefined };
}

/** Whether `title` is the actor's own user talk page (not a subpage): where a blocked person may appeal. */
export function isOwnTalk(actor: Actor | undefined, title: Title): boolean {
  return actor !== undefined && title.namespace === 'User talk' && title.text === `User talk:${actor.name}`;
}

/**
 * @throws WikiError 'unauthorized' (logging in would help) or 'forbidden', with the reason.
 */
export function requireRight(stores: Stores, anonEdits: boolean, who: Who, right: Right, title?: Title): void {
  const ctx = rightsContext(stores, anonEdits, who, title);
  const no = refusal(who.actor, right, ctx);
  if (!no) return;
  // A blocked account trying to edit from a new address carries its autoblock there (MediaWiki does the same).
  const address = who.ip === undefined ? undefined : canonicalAddress(who.ip);
  if (right === 'edit' && ctx.block?.actorId != null && address) autoblockAddress(stores, ctx.block, address);
  if (ctx.block && no.status === 403 && no.blocked) throw new BlockedError(no.message);
  throw new WikiError(no.status === 401 ? 'unauthorized' : 'forbidden', no.message);
}
