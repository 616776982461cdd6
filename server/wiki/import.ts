/**
 * Importing page histories from another wiki (`wiki import`): authors kept by name, timestamps kept,
 * each page's revisions in one transaction, and nothing added twice. A revision here and one in the
 * import are the same when they have the same page, timestamp and sha1.
 */
import type { Stores } from '../db/stores.js';
import type { DumpStore, HistoryKey } from '../db/dump.js';
import { InvalidInputError, WikiError } from './errors.js';
import { analyzeForIndex } from './markdown.js';
import { finishDeferredAuthors, noteAuthors, prepareAuthors, type DeferredAuthors } from './blameSave.js';
import type { Title } from './title.js';
import type { Actor, ActorKind } from './types.js';
import { authorTags, textTags } from './tags.js';
import { scoreRisk, textSignals } from './risk.js';

const TEN_MINUTES = 10 * 60_000;

export interface IncomingRevision extends HistoryKey {
  author: string;
  authorKind: ActorKind;
  comment: string;
  minor: boolean;
  tags: string[];
  source: string;
}

export interface PageImport {
  added: number;
  /** Revisions that were already here. */
  skipped: number;
  created: boolean;
  /** Accounts created for authors who had none here. */
  accounts: number;
}

/** The page's history here and the imported one disagree; nothing of that page was written. */
export class ImportConflictError extends WikiError {
  constructor(title: Title, at: number) {
    super('page_exists', `page "${title.text}" has a different revision ${at + 1} here than in the import; move or delete the page here, then import again.`);
  }
}

/**
 * Where the imported history of a page stands against the one here: the index of the first
 * revision that differs, or undefined when one is a prefix of the other (the import may then add
 * what follows; a page with more edits here than in the import is left as it is).
 */
export function firstDifference(here: readonly HistoryKey[], incoming: readonly HistoryKey[]): number | undefined {
  const n = Math.min(here.length, incoming.length);
  for (let i = 0; i < n; i++) if (here[i]!.timestamp !== incoming[i]!.timestamp || here[i]!.sha1 !== incoming[i]!.sha1) return i;
  return undefined;
}

/** What write() did: PageImport, and where the page now stands when it added anything. */
interface Written extends PageImport {
  pageId?: number;
  latestId?: number;
  latestText?: string;
  lastBy?: Actor;
  addedIds: number[];
}

export class HistoryImporter {
  private readonly authors = new Map<string, Actor>();

  constructor(
    private readonly stores: Stores,
    private readonly dump: DumpStore,
  ) {}

  /** The kind of the account called `name` here, or undefined when there is none. */
  accountKind(name: string): ActorKind | undefined {
    return this.stores.actors.byName(name)?.kind;
  }

  /** The history keys of the page here, oldest first; empty when there is no such page. */
  historyHere(title: Title): HistoryKey[] {
    const page = this.stores.pages.byTitle(title);
    return page ? this.dump.historyKeys(page.id) : [];
  }

  /** The history keys of the page deleted here from `title` at `deletedAt`; empty when there is none. */
  deletedHistoryHere(title: Title, deletedAt: string): HistoryKey[] {
    const page = this.dump.deletedPageAt(title.text, deletedAt);
    return page ? this.dump.historyKeys(page.id) : [];
  }

  /**
   * Import a deleted page as deleted: its revisions kept in the archive under a tombstone, with
   * its deletion (who, when, why), so an admin here can undelete it. Matched, for a second run,
   * by its title and the time it was deleted.
   * @throws as importPage does.
   */
  importDeletedPage(title: Title, deletion: { at: string; by: string; reason: string }, revisions: Iterable<IncomingRevision>): PageImport {
    return this.inTransaction(() => {
      const existing = this.dump.deletedPageAt(title.text, deletion.at);
      const result = this.write(title, revisions, existing, (timestamp) => this.stores.pages.createTombstoned(timestamp));
      // A deleted page is never a redirect in any lookup: it has no title.
      if (result.pageId !== undefined) this.stores.pages.setLatest(result.pageId, result.latestId!, false);
      if (existing === undefined && result.pageId !== undefined) {
        const by = this.stores.actors.byName(deletion.by);
        if (!by) throw new InvalidInputError(`the account "${deletion.by}" that deleted "${title.text}" is not here.`);
        this.stores.deletions.add(result.pageId, title.text, by.id, deletion.reason, deletion.at);
      }
      return result;
    });
  }

  /**
   * Import one page's revisions, oldest first, in one transaction, skipping those already here;
   * then rebuild the page's links, categories and search entry. `revisions` is read lazily, so a
   * long history never sits in memory whole. Each revision's line authorship is derived from its
   * parent's as a save's is (the big ones right after the transaction).
   * @throws ImportConflictError when the histories differ (nothing of the page is written);
   *   InvalidInputError when an author's name belongs to another kind of account here.
   */
  importPage(title: Title, revisions: Iterable<IncomingRevision>): PageImport {
    return this.inTransaction(() => {
      const existing = this.stores.pages.byTitle(title);
      const result = this.write(title, revisions, existing, (timestamp) => this.stores.pages.create(title, timestamp));
      if (result.pageId !== undefined && result.latestText !== undefined) {
        // As reindex() in admin.ts does, plus the redirect flag, from a single parse of the text.
        const a = analyzeForIndex(result.latestText);
        this.stores.pages.setLatest(result.pageId, result.latestId!, a.redirect !== undefined);
        this.stores.links.replace(result.pageId, a.links, a.categories);
        this.stores.search.put(result.pageId, title.text, a.text);
        result.created = existing === undefined;
        const page = this.stores.pages.byId(result.pageId)!;
        this.stores.feed.note({
          type: 'import', pageId: result.pageId, title: page.title, revisionIds: result.addedIds, created: result.created,
          actorId: result.lastBy!.id, timestamp: new Date().toISOString(), linkColours: result.created ? [page.title] : [],
        });
      }
      return result;
    });
  }

  /** Run `write` in one transaction; then the authorship left to after it. */
  private inTransaction(write: () => Written): PageImport {
    this.deferred = [];
    try {
      const result = this.stores.transaction(write);
      for (const d of this.deferred) finishDeferredAuthors(this.stores, d);
      return { added: result.added, skipped: result.skipped, created: result.created, accounts: result.accounts };
    } catch (e) {
      this.authors.clear(); // accounts created in the rolled-back transaction are gone
      throw e;
    } finally {
      this.deferred = [];
    }
  }

  private deferred: DeferredAuthors[] = [];

  /**
   * Write the revisions not yet here onto page `existing`, or onto a page made by `create` at
   * the first revision's time. The caller sets the page's latest revision (`result.latestId`).
   */
  private write(title: Title, revisions: Iterable<IncomingRevision>, existing: { id: number; latestId: number } | undefined, create: (timestamp: string) => number): Written {
    const deferred = this.deferred;
    const here = existing ? this.dump.historyKeys(existing.id) : [];
    const result: Written = { added: 0, skipped: 0, created: false, accounts: 0, addedIds: [] };
    let pageId = existing?.id;
    let latestId = existing?.latestId;
    let latestText: string | undefined;
    const added: number[] = [];
    let lastBy: Actor | undefined;
    for (const r of revisions) {
      const i = result.added + result.skipped;
      if (i < here.length) {
        if (firstDifference([here[i]!], [r]) !== undefined) throw new ImportConflictError(title, i);
        result.skipped += 1;
        continue;
      }
      pageId ??= create(r.timestamp);
      const actor = this.author(r.author, r.authorKind, result);
      const content = this.stores.content.put(r.source);
      const parentId = latestId ?? null;
      // The parent's text: the last one imported, or (first time round) the page's latest here.
      const parentText = latestText ?? (parentId === null ? null : this.stores.content.get(this.stores.revisions.byId(parentId)!.contentId));
      latestId = this.stores.revisions.insert({
        pageId, parentId, actorId: actor.id, contentId: content.id, comment: r.comment,
        minor: r.minor, size: content.size, sha1: content.sha1, timestamp: r.timestamp, ip: null,
      });
      const authors = prepareAuthors(this.stores, parentId === null ? undefined : { id: parentId, text: parentText! }, r.source);
      const later = noteAuthors(this.stores, { revisionId: latestId, pageId, parentId, contentId: content.id, textIsNew: content.stored, text: r.source }, authors);
      if (later) deferred.push(later);
      this.recordTagsAndRisk(latestId, actor, parentText, r);
      this.stores.actors.countEditOf(actor.id);
      added.push(latestId);
      lastBy = actor;
      latestText = r.source;
      result.added += 1;
    }
    if (pageId !== undefined && latestId !== undefined && latestText !== undefined) {
      Object.assign(result, { pageId, latestId, latestText, lastBy, addedIds: added });
    }
    return result;
  }

  /**
   * An imported revision's tags and risk as a save would give them (the file's tags kept, those
   * that follow from the texts and the author's edits added), so history and the review tools
   * treat imported edits like the wiki's own. Imported history is not new work for patrollers:
   * its review entry is marked patrolled by the wiki itself.
   */
  private recordTagsAndRisk(revisionId: number, actor: Actor, parentText: string | null, r: IncomingRevision): void {
    const system = actor.kind === 'system';
    const tags = new Set([...r.tags, ...textTags({ oldText: parentText, newText: r.source }), ...authorTags(system ? Infinity : actor.editCount)]);
    this.stores.revisions.addTags(revisionId, tags);
    const since = new Date(Date.parse(r.timestamp) - TEN_MINUTES).toISOString();
    const risk = system
      ? { score: 0, reasons: [] }
      : scoreRisk(textSignals(parentText, r.source), { tags: [...tags], temporaryAccount: actor.kind === 'temp', recentEdits: this.stores.revisions.countByActorBetween(actor.id, since, r.timestamp) });
    this.stores.review.put(revisionId, risk.score, risk.reasons, this.stores.actors.system().id, new Date().toISOString());
  }

  /**
   * The account of an author, made when missing: a registered user gets no password (it cannot
   * log in until an admin sets one), a temporary account stays temporary.
   */
  private author(name: string, kind: ActorKind, result: Written): Actor {
    const known = this.authors.get(name);
    if (known) return known;
    let actor = this.stores.actors.byName(name);
    if (actor && actor.kind !== kind) throw new InvalidInputError(`author "${name}" is a ${kind} account in the import but a ${actor.kind} account here.`);
    if (!actor) {
      actor = kind === 'system' && name === 'Peerwiki' ? this.stores.actors.system() : this.stores.actors.create(name, kind, 'user', null);
      result.accounts += 1;
    }
    this.authors.set(name, actor);
    return actor;
  }
}
