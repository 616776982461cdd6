/**
 * The admin acts of SPEC section 6: protect, block, delete, undelete, move. Each is one
 * transaction that also writes its entry to the public log. Rights are checked by the caller
 * (guard.ts); inputs arrive parsed. Each notes its change on the stores' feed (db/feed.ts).
 */
import type { Stores } from '../db/stores.js';
import { parseBlockRange, parseCidr, rangeKeys } from './address.js';
import { autoblockAddress } from './autoblock.js';
import { InvalidInputError, NotFoundError, WikiError } from './errors.js';
import { can } from './rights.js';
import { analyzeForIndex } from './markdown.js';
import { cutComment, saveEdit } from './edit.js';
import { normalUserName, type Title } from './title.js';
import type { Actor, Block, Page, ProtectionLevel } from './types.js';

function livePage(stores: Stores, title: Title): Page {
  const page = stores.pages.byTitle(title);
  if (!page) throw new NotFoundError(`There is no page "${title.text}".`);
  return page;
}

/** Set (or with level 'none', lift) a page's protection. @throws NotFoundError when there is no such page. */
export function protectPage(stores: Stores, by: Actor, title: Title, level: ProtectionLevel | 'none', expiry: string | null, reason: string): void {
  const now = new Date().toISOString();
  stores.transaction(() => {
    const page = livePage(stores, title);
    if (level === 'none') stores.protection.clear(page.id);
    else stores.protection.set(page.id, { level, expiry, reason: cutComment(reason) }, by.id, now);
    // Its lock mark and its tabs ("Edit" or "View source") change.
    stores.pages.touch(page.id);
    stores.log.add({
      type: 'protect', action: level === 'none' ? 'unprotect' : 'protect', actorId: by.id, target: page.title.text,
      reason: cutComment(reason), details: level === 'none' ? {} : { level, expiry: expiry ?? 'infinite' }, timestamp: now,
    });
    stores.feed.note({ type: 'protect', pageId: page.id, title: page.title, level, expiry: level === 'none' ? null : expiry, actorId: by.id, timestamp: now, linkColours: [] });
  });
}

/** The choices of a block besides its target, expiry and reason (SPEC section 11); each has its default. */
export interface BlockOptions {
  /** Address and range blocks: stop only people without a registered account. Default true. */
  anonOnly?: boolean;
  /** Account blocks: block the account's last address, and each address it then tries to edit from, for a day. Default true. */
  autoblock?: boolean;
  /** Whether the blocked person may still edit their own user talk page, to appeal. Default true. */
  allowUsertalk?: boolean;
}

/**
 * Block an account (by name), an IP address or a CIDR range. Addresses and ranges are stored in
 * canonical form (`::ffff:10.0.0.5` and `010.000.000.005` are `10.0.0.5`), so every spelling of
 * an address is stopped by one block. An account block with autoblock also blocks the address the
 * account last saved from (autoblockAddress).
 * @throws NotFoundError for an unknown account; InvalidInputError for an empty target, yourself,
 *   or a range wider than IPv4 /16 or IPv6 /19.
 */
export function blockTarget(stores: Stores, by: Actor, target: string, expiry: string | null, reason: string, o: BlockOptions = {}): Block {
  const now = new Date().toISOString();
  const name = target.trim();
  if (name === '') throw new InvalidInputError('target must be a user name, an IP address, or a CIDR range such as 10.0.0.0/24.');
  const range = parseBlockRange(name);
  return stores.transaction(() => {
    const actor = range ? undefined : stores.actors.byName(normalUserName(name));
    if (!range && !actor) throw new NotFoundError(`There is no account "${name}", and it is not an IP address or range.`);
    if (actor && actor.id === by.id) throw new InvalidInputError('You cannot block yourself.');
    const block = stores.blocks.create(
      {
        actorId: actor?.id ?? null, ip: range?.text ?? null, target: actor?.name ?? range!.text, expiry, reason: cutComment(reason), byActor: by.id, createdAt: now,
        anonOnly: range ? (o.anonOnly ?? true) : false, autoblock: actor ? (o.autoblock ?? true) : false, allowUsertalk: o.allowUsertalk ?? true, parentId: null,
      },
      range && rangeKeys(range),
    );
    const details = { id: block.id, expiry: expiry ?? 'infinite', anon_only: block.anonOnly, autoblock: block.autoblock, allow_usertalk: block.allowUsertalk };
    stores.log.add({ type: 'block', action: 'block', actorId: by.id, target: block.target, reason: block.reason, details, timestamp: now });
    stores.feed.note({ type: 'block', blockId: block.id, target: block.target, expiry, actorId: by.id, timestamp: now, linkColours: [] });
    const last = actor && block.autoblock ? stores.revisions.lastAddressOf(actor.id) : undefined;
    if (last) autoblockAddress(stores, { ...block, byName: by.name }, last, now);
    return { ...block, byName: by.name };
  });
}

/** Lift a block, and the autoblocks it made. @throws NotFoundError when there is no such active block. */
export function unblock(stores: Stores, by: Actor, id: number, reason = ''): void {
  const now = new Date().toISOString();
  stores.transaction(() => {
    const block = stores.blocks.byId(id);
    if (!block || !stores.blocks.remove(id, now)) throw new NotFoundError(`There is no active block ${id}.`);
    for (const child of stores.blocks.children(id)) stores.blocks.remove(child, now);
    const action = block.parentId !== null ? 'unblock-autoblock' : 'unblock';
    stores.log.add({ type: 'block', action, actorId: by.id, target: block.target, reason: cutComment(reason), details: { id }, timestamp: now });
    stores.feed.note({ type: 'unblock', blockId: id, target: block.target, actorId: by.id, timestamp: now, linkColours: [] });
  });
}

/**
 * Delete a page: every revision is kept (archived with the page row), the title is freed, links
 * to it turn red (the feed's subscriber touches the pages linking to it).
 * @throws NotFoundError when there is no such page.
 */
export function deletePage(stores: Stores, by: Actor, title: Title, reason: string): void {
  const now = new Date().toISOString();
  stores.transaction(() => {
    const page = livePage(stores, title);
    stores.deletions.add(page.id, page.title.text, by.id, cutComment(reason), now);
    stores.pages.tombstone(page.id);
    stores.links.clear(page.id);
    stores.search.delete(page.id);
    stores.protection.clear(page.id);
    stores.log.add({ type: 'delete', action: 'delete', actorId: by.id, target: page.title.text, reason: cutComment(reason), details: { revisions: stores.revisions.count(page.id) }, timestamp: now });
    stores.feed.note({ type: 'delete', pageId: page.id, title: page.title, revisionId: page.latestId, actorId: by.id, timestamp: now, linkColours: [page.title] });
  });
}

/**
 * Restore the most recent deletion of `title` with all its revisions.
 * @throws NotFoundError when nothing was deleted there; WikiError page_exists when the title is taken.
 */
export function undeletePage(stores: Stores, by: Actor, title: Title, reason: string): void {
  const now = new Date().toISOString();
  stores.transaction(() => {
    const deletion = stores.deletions.latest(title.text);
    if (!deletion) throw new NotFoundError(`Nothing deleted is kept under "${title.text}".`);
    if (stores.pages.byTitle(title)) {
      throw new WikiError('page_exists', `A new page "${title.text}" exists; move it to another title first, then undelete.`);
    }
    stores.pages.rename(deletion.pageId, title);
    stores.deletions.markRestored(deletion.id, now);
    const page = stores.pages.byId(deletion.pageId)!;
    reindex(stores, page);
    stores.log.add({ type: 'delete', action: 'undelete', actorId: by.id, target: title.text, reason: cutComment(reason), details: { revisions: stores.revisions.count(page.id) }, timestamp: now });
    stores.feed.note({ type: 'undelete', pageId: page.id, title: page.title, revisionId: page.latestId, actorId: by.id, timestamp: now, linkColours: [page.title] });
  });
}

/** Rebuild a page's links, categories and search entry from its latest text. */
export function reindex(stores: Stores, page: Page): void {
  const text = stores.content.get(stores.revisions.byId(page.latestId)!.contentId);
  const a = analyzeForIndex(text);
  stores.links.replace(page.id, a.links, a.categories);
  stores.search.put(page.id, page.title.text, a.text);
}

/**
 * Move a page to a new title, history and all, leaving a redirect behind unless asked not to
 * (admins only: without the redirect, every link to the old title breaks).
 * @throws WikiError page_exists when the new title is taken; forbidden when a non-admin asks for no
 * redirect; InvalidInputError for the same title.
 */
export function movePage(stores: Stores, by: Actor, from: Title, to: Title, reason: string, leaveRedirect: boolean): Page {
  const now = new Date().toISOString();
  if (!leaveRedirect && !can(by, 'suppress-redirect', { anonEdits: false })) {
    throw new WikiError('forbidden', 'Only admins may move a page without leaving a redirect: links to the old title would break. Leave the redirect, or ask an admin.');
  }
  return stores.transaction(() => {
    const page = livePage(stores, from);
    if (from.text === to.text) throw new InvalidInputError('to: the new title is the same as the old one.');
    if (stores.pages.byTitle(to)) throw new WikiError('page_exists', `A page "${to.text}" already exists; pick another title, or ask an admin to delete it first.`);
    stores.pages.rename(page.id, to);
    reindex(stores, { ...page, title: to });
    if (leaveRedirect) {
      // Its save event names `from` again, as created: links to it stay blue, now to a redirect.
      saveEdit(stores, { title: from, source: `#REDIRECT [[${to.text}]]`, comment: `Moved to [[${to.text}]]`, baseId: null, actor: by, mode: 'create' });
    }
    stores.log.add({ type: 'move', action: 'move', actorId: by.id, target: from.text, reason: cutComment(reason), details: { to: to.text, redirect: leaveRedirect }, timestamp: now });
    const moved = stores.pages.byId(page.id)!;
    stores.feed.note({ type: 'move', pageId: page.id, from: page.title, to: moved.title, redirect: leaveRedirect, actorId: by.id, timestamp: now, linkColours: leaveRedirect ? [moved.title] : [moved.title, page.title] });
    return moved;
  });
}

/**
 * Give address blocks made before migration 0006 their canonical address and range keys, once,
 * at start (bootstrap.ts): the migration runner only runs SQL. Later starts read one index range.
 */
export function keyOlderBlocks(stores: Stores): void {
  const rows = stores.blocks.unkeyed();
  if (rows.length === 0) return;
  stores.transaction(() => {
    for (const row of rows) {
      // Node's isIP accepted zone ids ("fe80::1%eth0"); the zone never reaches a client address.
      const r = parseCidr(row.ip.replace(/%.*$/, ''));
      if (r) stores.blocks.setRange(row.id, r.text, rangeKeys(r));
    }
  });
}
