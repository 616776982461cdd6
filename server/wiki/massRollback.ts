/**
 * Mass rollback: undo every edit one account (or IP address) made since a given time, on every
 * page, in one act. Each page goes back to its last revision by someone else; pages others have
 * edited since are left alone (rolling them back would throw away good work) and listed as such.
 */
import type { Stores } from '../db/stores.js';
import { InvalidInputError, NotFoundError } from './errors.js';
import { canonicalAddress } from './address.js';
import { finishDeferredRows } from './links.js';
import { finishDeferredAuthors } from './blameSave.js';
import { commitSave, cutComment, prepareSave, type PreparedSave, type SaveInput, type SaveResult } from './edit.js';
import type { Actor, Page, Revision } from './types.js';
import { normalUserName } from './title.js';

export type MassTarget = { actorId: number; name: string } | { ip: string; name: string };

export interface MassRollbackItem {
  page: Page;
  /** Set when the page will be rolled back. */
  undone?: Revision[];
  to?: Revision;
  /** Set when the page is left alone, with why. */
  skipped?: string;
}

/** The account or address a name means. @throws NotFoundError for an unknown account. */
export function massTarget(stores: Stores, raw: string): MassTarget {
  const name = raw.trim();
  if (name === '') throw new InvalidInputError('target must be a user name or an IP address.');
  // Stored addresses are canonical (::ffff:10.0.0.5 is kept as 10.0.0.5), so the target is too.
  const ip = canonicalAddress(name);
  if (ip !== undefined) return { ip, name: ip };
  const actor = stores.actors.byName(normalUserName(name));
  if (!actor) throw new NotFoundError(`There is no account "${name}".`);
  return { actorId: actor.id, name: actor.name };
}

function byTarget(target: MassTarget, r: Revision): boolean {
  // An address stands for the anonymous editors behind it, never for registered users who share it.
  return 'ip' in target ? r.actor.kind === 'temp' && r.ip === target.ip : r.actor.id === target.actorId;
}

/** What a mass rollback would do, page by page, without changing anything. */
export function planMassRollback(stores: Stores, target: MassTarget, since: string): MassRollbackItem[] {
  const items: MassRollbackItem[] = [];
  for (const pageId of stores.revisions.pagesEditedSince('ip' in target ? { ip: target.ip } : { actorId: target.actorId }, since)) {
    const page = stores.pages.byId(pageId);
    if (!page) continue;
    const latest = stores.revisions.byId(page.latestId)!;
    if (!byTarget(target, latest)) {
      items.push({ page, skipped: `edited since by ${latest.actor.name}` });
      continue;
    }
    const undone: Revision[] = [];
    let r: Revision | undefined = latest;
    while (r && byTarget(target, r)) {
      undone.push(r);
      r = r.parentId ? stores.revisions.byId(r.parentId) : undefined;
    }
    if (!r) items.push({ page, skipped: `created by ${target.name} with no other author: delete it instead` });
    else items.push({ page, undone, to: r });
  }
  return items;
}

// Prepared saves hold their texts and analyses until the transaction: past this many characters
// of page text the rest are prepared inside it, as they come, rather than held all at once.
const PREPARE_AHEAD_CHARS = 16 * 1024 * 1024;

/**
 * Carry out the plan in one transaction and log it; returns the items (rolled back and skipped).
 * The pages' texts are analysed before the transaction; inside it the plan is made again (lookups
 * only) and a prepared save is used for each page still at the revision it was prepared against.
 * @throws what saveEdit throws for any page; then nothing is rolled back anywhere.
 */
export function massRollback(stores: Stores, by: Actor, target: MassTarget, since: string, rawReason: string): MassRollbackItem[] {
  const reason = cutComment(rawReason);
  const saveOf = (item: MassRollbackItem): SaveInput => ({
    title: item.page.title,
    source: stores.content.get(item.to!.contentId),
    comment: reason || `Mass rollback of edits by ${target.name} since ${since}`,
    baseId: item.page.latestId,
    actor: by,
    tags: ['rollback'],
    reverts: item.undone!.map((u) => u.id),
  });
  const prepared = prepareAhead(stores, planMassRollback(stores, target, since), saveOf);
  const deferred: Array<Pick<SaveResult, 'deferredRows' | 'deferredAuthors'>> = [];
  const result = stores.transaction(() => {
    const items = planMassRollback(stores, target, since);
    const done = items.filter((i) => i.to);
    for (const item of done) {
      const early = prepared.get(item.page.id);
      const fits = early && early.input.baseId === item.page.latestId && early.page?.latestId === item.page.latestId;
      const { deferredRows, deferredAuthors } = commitSave(stores, fits ? early : prepareSave(stores, saveOf(item)));
      deferred.push({ deferredRows, deferredAuthors });
    }
    stores.log.add({
      type: 'rollback', action: 'mass-rollback', actorId: by.id, target: target.name, reason,
      details: { since, pages: done.map((i) => i.page.title.text), skipped: items.length - done.length },
      timestamp: new Date().toISOString(),
    });
    return items;
  });
  for (const d of deferred) {
    finishDeferredRows(stores, d.deferredRows);
    finishDeferredAuthors(stores, d.deferredAuthors);
  }
  return result;
}

/** Prepared saves by page id, for as many of the planned pages as PREPARE_AHEAD_CHARS allows. */
function prepareAhead(stores: Stores, items: MassRollbackItem[], saveOf: (item: MassRollbackItem) => SaveInput): Map<number, PreparedSave> {
  const prepared = new Map<number, PreparedSave>();
  let chars = 0;
  for (const item of items) {
    if (!item.to) continue;
    let save: PreparedSave;
    try {
      save = prepareSave(stores, saveOf(item));
    } catch {
      // The page changed since it was planned (its rollback now conflicts, or it is gone): the
      // plan made inside the transaction decides, and throws there if it must.
      continue;
    }
    chars += save.text.length + (save.oldText?.length ?? 0);
    if (chars > PREPARE_AHEAD_CHARS) break;
    prepared.set(item.page.id, save);
  }
  return prepared;
}
