/** Autoblocks (SPEC section 11): an account block follows the blocked person to the addresses they edit from. */
import type { Stores } from '../db/stores.js';
import { parseBlockRange, rangeKeys } from './address.js';
import type { Block } from './types.js';

/** How long an autoblock holds (MediaWiki's $wgAutoblockExpiry). */
export const AUTOBLOCK_MS = 24 * 60 * 60_000;

/**
 * Block `address` for a day (never past the account block's own end) because the account of
 * `parent` used it: everyone there, temporary accounts and logged-in users alike, as MediaWiki's
 * autoblocks do. Listed with the blocks as an autoblock; its address is shown only to those who
 * may see addresses. Nothing happens when the parent is not an autoblocking account block, or the
 * address already has an autoblock from it.
 */
export function autoblockAddress(stores: Stores, parent: Block, address: string, now = new Date().toISOString()): void {
  if (!parent.autoblock || parent.actorId === null) return;
  const r = parseBlockRange(address);
  // Only a single address: a range never comes from a connection.
  if (!r || r.text.includes('/')) return;
  stores.transaction(() => {
    if (stores.blocks.hasAutoblockAt(parent.id, r.text, now)) return;
    const day = new Date(Date.parse(now) + AUTOBLOCK_MS).toISOString();
    const expiry = parent.expiry !== null && parent.expiry < day ? parent.expiry : day;
    const block = stores.blocks.create(
      {
        actorId: null, ip: r.text, target: parent.target, expiry, reason: parent.reason, byActor: parent.byActor, createdAt: now,
        anonOnly: false, autoblock: false, allowUsertalk: parent.allowUsertalk, parentId: parent.id,
      },
      rangeKeys(r),
    );
    stores.feed.note({ type: 'block', blockId: block.id, target: block.target, expiry, actorId: parent.byActor, timestamp: now, linkColours: [] });
  });
}
