/**
 * Putting things back: undo one revision (three-way, keeping later edits), restore an old
 * revision, and roll back the latest author's consecutive edits (SPEC sections 4 to 6).
 * Each is one save through savePlanned, so tags, risk and links follow saveEdit's rules, and the
 * plan (for undo, a three-way merge) is made before the write transaction, again inside it only
 * when the page changed meanwhile.
 */
import type { Stores } from '../db/stores.js';
import { EditConflictError, InvalidInputError, NotFoundError, WikiError } from './errors.js';
import { cutComment, savePlannedAsync, type SavePlan, type SaveResult } from './edit.js';
import { merge3, type MergeResult } from './merge.js';
import type { TextWorkers } from './work/pool.js';
import { normalUserName, type Title } from './title.js';
import type { Actor, Page, Revision } from './types.js';

export interface RevertInput {
  title: Title;
  actor: Actor | 'temporary';
  ip?: string | null;
  comment?: string;
}

function livePage(stores: Stores, title: Title): Page {
  const page = stores.pages.byTitle(title);
  if (!page) throw new NotFoundError(`There is no page "${title.text}".`);
  return page;
}

function revisionOf(stores: Stores, page: Page, id: number): Revision {
  const r = stores.revisions.byId(id);
  if (!r || r.pageId !== page.id) throw new NotFoundError(`Revision ${id} is not a revision of "${page.title.text}".`);
  return r;
}

const textOf = (stores: Stores, r: Revision) => stores.content.get(r.contentId);

/** What undoing a revision reads: the page, the revision, and the three texts of its merge. */
interface UndoTexts {
  page: Page;
  undone: Revision;
  latest: Revision;
  /** The undone revision's text, its parent's, and the latest: merged as base, mine, theirs. */
  undoneText: string;
  parentText: string;
  latestText: string;
}

function undoTexts(stores: Stores, title: Title, id: number): UndoTexts {
  const page = livePage(stores, title);
  const undone = revisionOf(stores, page, id);
  if (undone.parentId === null) throw new InvalidInputError(`Revision ${id} created the page; there is nothing before it to go back to. Delete the page instead.`);
  const parent = stores.revisions.byId(undone.parentId)!;
  const latest = stores.revisions.byId(page.latestId)!;
  return { page, undone, latest, undoneText: textOf(stores, undone), parentText: textOf(stores, parent), latestText: textOf(stores, latest) };
}

// Apply the change undone → parent on top of the latest text, keeping everything since.
function undoPlan(t: UndoTexts, merged: MergeResult): { page: Page; undone: Revision; text: string } {
  if (!merged.clean) throw new EditConflictError(t.undone.id, { id: t.latest.id, source: t.latestText }, t.parentText, merged.regions);
  return { page: t.page, undone: t.undone, text: merged.text };
}

/**
 * What undoing revision `id` would give, without saving: the three-way merge that takes its change
 * out of the latest text (bounded: merge.ts).
 * @throws EditConflictError when later edits overlap the change, NotFoundError (no such page or
 *   revision), InvalidInputError (undoing a page's creation).
 */
export function planUndo(stores: Stores, title: Title, id: number): { page: Page; undone: Revision; text: string } {
  const t = undoTexts(stores, title, id);
  return undoPlan(t, merge3(t.undoneText, t.parentText, t.latestText));
}

/** planUndo with the merge in the text process when the texts are large. @throws as planUndo. */
export async function planUndoAsync(stores: Stores, workers: TextWorkers, title: Title, id: number): Promise<{ page: Page; undone: Revision; text: string }> {
  const t = undoTexts(stores, title, id);
  const size = t.undoneText.length + t.parentText.length + t.latestText.length;
  return undoPlan(t, await workers.run('merge', { base: t.undoneText, mine: t.parentText, theirs: t.latestText }, size));
}

function undoSave(input: RevertInput, plan: { page: Page; undone: Revision; text: string }): SavePlan {
  return {
    against: plan.page.latestId,
    save: {
      title: input.title,
      source: plan.text,
      comment: input.comment || `Undid revision ${plan.undone.id} by ${plan.undone.actor.name}`,
      baseId: plan.page.latestId,
      actor: input.actor,
      ip: input.ip,
      tags: ['undo'],
      reverts: [plan.undone.id],
    },
  };
}

/**
 * Undo revision `id`, its merge and the save's analysis in the text process when large.
 * @throws EditConflictError when later edits overlap it (nothing is saved), NotFoundError,
 *   InvalidInputError (undoing a page's creation).
 */
export function undoRevision(stores: Stores, workers: TextWorkers, input: RevertInput & { id: number }): Promise<SaveResult> {
  return savePlannedAsync(stores, workers, {
    plan: () => undoSave(input, planUndo(stores, input.title, input.id)),
    planAsync: async () => undoSave(input, await planUndoAsync(stores, workers, input.title, input.id)),
  });
}

/**
 * Make revision `to`'s text the latest (a null edit when it already is).
 * @throws NotFoundError when there is no such page or revision of it.
 */
export function restoreRevision(stores: Stores, workers: TextWorkers, input: RevertInput & { to: number }): Promise<SaveResult> {
  return savePlannedAsync(stores, workers, { plan: () => {
    const page = livePage(stores, input.title);
    const to = revisionOf(stores, page, input.to);
    return {
      against: page.latestId,
      save: {
        title: input.title,
        source: textOf(stores, to),
        comment: input.comment || `Restored revision ${to.id} by ${to.actor.name}`,
        baseId: page.latestId,
        actor: input.actor,
        ip: input.ip,
      },
    };
  } });
}

export interface RollbackPlan {
  page: Page;
  /** The latest author's consecutive revisions, newest first. */
  undone: Revision[];
  /** The last revision by someone else: its text comes back. */
  to: Revision;
}

/** Which revisions a rollback would undo. @throws InvalidInputError when one author wrote every revision. */
export function planRollback(stores: Stores, title: Title): RollbackPlan {
  const page = livePage(stores, title);
  const latest = stores.revisions.byId(page.latestId)!;
  const undone: Revision[] = [];
  let r: Revision | undefined = latest;
  while (r && r.actor.id === latest.actor.id) {
    undone.push(r);
    r = r.parentId ? stores.revisions.byId(r.parentId) : undefined;
  }
  if (!r) throw new InvalidInputError(`Every revision of "${page.title.text}" is by ${latest.actor.name}; there is no earlier author to roll back to.`);
  return { page, undone, to: r };
}

/**
 * Roll back all consecutive latest edits by the latest author, in one revision (admins).
 * `from` names the author the admin saw: when someone else has edited since, nothing is rolled
 * back (their edit could be the fix), and the answer is a conflict.
 * @throws WikiError edit_conflict (see `from`), InvalidInputError, NotFoundError.
 */
export function rollback(stores: Stores, workers: TextWorkers, input: RevertInput & { from?: string }): Promise<SaveResult> {
  const planned = () => {
    const plan = planRollback(stores, input.title);
    const by = plan.undone[0]!.actor.name;
    if (input.from !== undefined && normalUserName(input.from) !== by) {
      throw new WikiError('edit_conflict', `${by} has edited "${plan.page.title.text}" since the edits by ${input.from} you meant to roll back; nothing was rolled back. Look at the history first.`);
    }
    return {
      plan,
      by,
      against: plan.page.latestId,
      save: {
        title: input.title,
        source: textOf(stores, plan.to),
        comment: input.comment || `Reverted edits by ${by} to the last revision by ${plan.to.actor.name}`,
        baseId: plan.page.latestId,
        actor: input.actor,
        ip: input.ip,
        tags: ['rollback'],
        reverts: plan.undone.map((u) => u.id),
      },
    };
  };
  return savePlannedAsync(stores, workers, { plan: planned }, ({ plan, by }) => {
    if (input.actor === 'temporary') return;
    stores.log.add({
      type: 'rollback', action: 'rollback', actorId: input.actor.id, target: plan.page.title.text, reason: cutComment(input.comment),
      details: { from: by, to: plan.to.id, undone: plan.undone.map((u) => u.id) }, timestamp: new Date().toISOString(),
    });
  });
}
