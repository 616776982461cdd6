/**
 * `wiki import DIR`: the reverse of export. The whole history.json is checked first (a bad file
 * changes nothing), then each page's revisions are written in one transaction, authors and
 * timestamps kept; revisions already here are skipped, so a second run adds nothing. Last, the
 * accounts, protections, blocks, log and watchlists of its "site" section, in one transaction.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { userNameProblem } from '../auth/accounts.js';
import { openDatabase, closeDatabase, type Db } from '../db/connection.js';
import { sha1Of } from '../db/content.js';
import { DumpStore, type HistoryKey } from '../db/dump.js';
import { SiteDump, type SiteAdded, type SiteRecord } from '../db/siteDump.js';
import { migrate } from '../db/migrate.js';
import { createStores } from '../db/stores.js';
import { MAX_SOURCE_BYTES } from '../wiki/edit.js';
import { WikiError } from '../wiki/errors.js';
import { HistoryImporter, firstDifference } from '../wiki/import.js';
import { parseTitle, type Title } from '../wiki/title.js';
import type { ActorKind } from '../wiki/types.js';
import { commandArgs } from './args.js';
import { HISTORY_FILE, readHistory, type DeletedPageInfo, type HistoryItem, type HistoryRevision } from './historyFile.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';

const USAGE = 'import DIR';
const LIST = 10;

interface Checked {
  pages: number;
  revisions: number;
  /** The "site" section, checked: written after the pages. */
  site: SiteRecord[];
  /** Deleted pages by their key. */
  deleted: Map<string, { title: Title; info: DeletedPageInfo }>;
}

/** @throws CliError for a missing folder or a bad or conflicting history.json (exit 2); nothing is written then. */
export function importCommand(config: Config, args: string[], io: CliIo): number {
  const { values } = commandArgs(args, USAGE, ['DIR']);
  const dir = resolve(values[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`there is no folder ${dir}; give the folder that wiki export wrote.`);
  const file = join(dir, HISTORY_FILE);
  if (!existsSync(file)) throw new CliError(`${dir} has no ${HISTORY_FILE}; give a folder written by wiki export.`);
  // A database that does not exist yet has nothing to conflict with: it is created only once the file checks out.
  let db = existsSync(config.dbFile) ? openDatabase(config.dbFile) : undefined;
  try {
    let importer = db && importerFor(db);
    const checked = checkHistory(file, importer, db && new SiteDump(db), io);
    if (!importer) importer = importerFor((db = openDatabase(config.dbFile)));
    // Accounts first, with their roles and times: the revisions name them.
    const accounts = importSite(db!, checked.site.filter((r) => r.kind === 'account'));
    const done = importAll(file, importer, checked, io);
    const site = importSite(db!, checked.site.filter((r) => r.kind !== 'account'));
    site.accounts += accounts.accounts;
    io.out(
      `imported ${done.added} revisions into ${done.pages} pages (${done.created} new pages, ${done.accounts + site.accounts} new accounts) from ${dir}; ` +
        `${checked.revisions - done.added} of its ${checked.revisions} revisions were already here; ` +
        `added ${site.protections} protections, ${site.blocks} blocks, ${site.log} log entries and ${site.watches} watches`,
    );
    return 0;
  } finally {
    if (db) closeDatabase(db);
  }
}

function importerFor(db: Db): HistoryImporter {
  migrate(db);
  return new HistoryImporter(createStores(db), new DumpStore(db));
}

/** Pass one: read the whole file, check every record and compare each page's history with this wiki's. */
function checkHistory(file: string, importer: HistoryImporter | undefined, siteHere: SiteDump | undefined, io: CliIo): Checked {
  const { header, items } = readHistory(file);
  const bar = progress(io, 'import check', header.revisionCount, 'revisions');
  const check = new HistoryCheck(importer, siteHere);
  for (const item of items) {
    if (item.type === 'page') check.page(item, item.page.title, item.page.revisions, item.page.deleted);
    else if (item.type === 'revision') {
      check.revision(item, item.revision);
      bar.tick();
    } else check.site(item, item.record);
  }
  bar.done();
  return check.end(header.pageCount, header.revisionCount, header.siteCount);
}

/** The checks of pass one, record by record; each failure is a CliError naming the line. */
class HistoryCheck {
  private readonly listed = new Map<string, number>();
  private readonly done = new Set<string>();
  private readonly authors = new Map<string, ActorKind>();
  private readonly conflicts: string[] = [];
  private readonly result: Checked = { pages: 0, revisions: 0, site: [], deleted: new Map() };

  private group: { key: string; title: Title; deleted?: DeletedPageInfo; keys: HistoryKey[]; lastId: number } | undefined;

  constructor(
    private readonly importer: HistoryImporter | undefined,
    private readonly siteHere: SiteDump | undefined,
  ) {}

  /** A record of the "site" section: the accounts and pages it names must be in the import or here. */
  site(item: HistoryItem, r: SiteRecord): void {
    if (r.kind === 'account') {
      checkAuthor(r.name, r.accountKind, item, this.importer, this.authors);
    } else {
      const names = r.kind === 'block' ? [r.by, r.account] : r.kind === 'watch' ? [r.account] : [r.by];
      for (const name of names) {
        if (name !== null && !this.authors.has(name) && !this.siteHere?.accountKind(name)) throw bad(item, `${r.kind} record names the account "${name}", which is neither in the import nor here`);
      }
      if (r.kind === 'protection' || r.kind === 'watch') {
        const title = titleOf(r.title, item).text;
        if (!this.listed.has(title) && !this.siteHere?.hasPage(title)) throw bad(item, `${r.kind} record names the page "${title}", which is neither in the import nor here`);
      }
    }
    this.result.site.push(r);
  }

  page(item: HistoryItem, raw: string, revisions: number, deleted?: DeletedPageInfo): void {
    const title = titleOf(raw, item);
    // A live page is known by its title; a deleted one by its key, as its title may be in use again.
    const key = deleted ? deleted.key : title.text;
    if (this.listed.has(key)) throw bad(item, deleted ? `deleted page "${key}" is listed twice` : `page "${title.text}" is listed twice`);
    this.listed.set(key, revisions);
    if (deleted) this.result.deleted.set(key, { title, info: deleted });
  }

  revision(item: HistoryItem, r: HistoryRevision): void {
    const deleted = this.result.deleted.get(r.page);
    const title = deleted?.title ?? (this.group && r.page === this.group.key ? this.group.title : titleOf(r.page, item));
    const key = deleted ? r.page : title.text;
    if (!this.listed.has(key)) throw bad(item, `revision ${r.id} belongs to page "${title.text}", which is not in the list of pages`);
    if (this.group?.key !== key) {
      this.finishGroup();
      if (this.done.has(key)) throw bad(item, `the revisions of page "${key}" are not all together; export the wiki again`);
      this.group = { key, title, deleted: deleted?.info, keys: [], lastId: 0 };
    } else if (r.id <= this.group.lastId) {
      throw bad(item, `revision ${r.id} of "${title.text}" comes after revision ${this.group.lastId}: each page's revisions must be oldest first`);
    }
    checkRevision(r, item, this.importer, this.authors);
    this.group.keys.push({ timestamp: r.timestamp, sha1: r.sha1 });
    this.group.lastId = r.id;
    this.result.revisions += 1;
  }

  /** After the last record: counts agree with the header and the page list, and nothing conflicts. */
  end(pageCount: number, revisionCount: number, siteCount: number): Checked {
    this.finishGroup();
    for (const { info } of this.result.deleted.values()) {
      if (!this.authors.has(info.by) && !this.siteHere?.accountKind(info.by)) throw new CliError(`${HISTORY_FILE}: deleted page "${info.key}" was deleted by "${info.by}", an account neither in the import nor here.`);
    }
    if (siteCount !== this.result.site.length) throw new CliError(`${HISTORY_FILE} says it holds ${siteCount} site records but holds ${this.result.site.length}; export the wiki again.`);
    for (const [title, n] of this.listed) if (n > 0 && !this.done.has(title)) throw new CliError(`${HISTORY_FILE}: page "${title}" is listed with ${n} revisions but has none.`);
    if (pageCount !== this.listed.size || revisionCount !== this.result.revisions) {
      throw new CliError(`${HISTORY_FILE} says it holds ${pageCount} pages and ${revisionCount} revisions but holds ${this.listed.size} and ${this.result.revisions}; export the wiki again.`);
    }
    if (this.conflicts.length) {
      const list = [...this.conflicts.slice(0, LIST), ...(this.conflicts.length > LIST ? [`and ${this.conflicts.length - LIST} more`] : [])];
      throw new CliError(
        `${this.conflicts.length} pages here have histories that differ from the import; nothing was imported:\n  ${list.join('\n  ')}\n` +
          'Move or delete those pages here, or import into a new wiki (set WIKI_DB to a file that does not exist yet, and import before the server first starts on it, so it seeds no starter pages); then run import again.',
      );
    }
    return this.result;
  }

  /** A page's revisions are all read: compare their count with the list, and their history with this wiki's. */
  private finishGroup(): void {
    const group = this.group;
    if (!group) return;
    const expected = this.listed.get(group.key)!;
    if (expected !== group.keys.length) throw new CliError(`${HISTORY_FILE}: page "${group.key}" is listed with ${expected} revisions but has ${group.keys.length}.`);
    const here = (group.deleted ? this.importer?.deletedHistoryHere(group.title, group.deleted.at) : this.importer?.historyHere(group.title)) ?? [];
    const at = firstDifference(here, group.keys);
    if (at !== undefined) this.conflicts.push(`page "${group.title.text}" differs from the import at its revision ${at + 1} (${group.keys[at]!.timestamp})`);
    this.result.pages += 1;
    this.done.add(group.key);
    this.group = undefined;
  }
}

/** The text and the author of one revision, checked against the rules this wiki applies to its own. */
function checkRevision(r: HistoryRevision, item: HistoryItem, importer: HistoryImporter | undefined, authors: Map<string, ActorKind>): void {
  if (Buffer.byteLength(r.source, 'utf8') > MAX_SOURCE_BYTES) throw bad(item, `revision ${r.id} of "${r.page}" is over 1 MiB`);
  if (sha1Of(r.source) !== r.sha1) throw bad(item, `the source of revision ${r.id} of "${r.page}" does not hash to its sha1: the file was edited or damaged`);
  checkAuthor(r.author, r.authorKind, item, importer, authors);
}

/** An account the import names (as an author or in its accounts): one kind throughout, and creatable here. */
function checkAuthor(name: string, kind: ActorKind, item: HistoryItem, importer: HistoryImporter | undefined, authors: Map<string, ActorKind>): void {
  const seen = authors.get(name);
  if (seen === kind) return;
  if (seen) throw bad(item, `author "${name}" is a ${seen} account on an earlier line but a ${kind} account on this one`);
  authors.set(name, kind);
  const here = importer?.accountKind(name);
  if (here && here !== kind) throw bad(item, `author "${name}" is a ${kind} account in the import but a ${here} account in this wiki; rename one of them first`);
  if (here) return;
  const problem = kind === 'user' ? userNameProblem(name) : kind === 'temp' && !/^~\S/.test(name) ? 'temporary account names start with "~".' : undefined;
  if (problem) throw bad(item, `author "${name}" cannot be created: ${problem}`);
}

/** The "site" section, after the pages it names: all of it in one transaction. */
function importSite(db: Db, records: SiteRecord[]): SiteAdded {
  const site = new SiteDump(db);
  const added: SiteAdded = { accounts: 0, protections: 0, blocks: 0, log: 0, watches: 0 };
  db.transaction(() => {
    for (const r of records) site.write(r.kind === 'protection' || r.kind === 'watch' ? { ...r, title: parseTitle(r.title).text } : r, added);
  })();
  return added;
}

/** Pass two: each page's revisions, read lazily from the file, in one transaction per page. */
function importAll(file: string, importer: HistoryImporter, checked: Checked, io: CliIo) {
  const bar = progress(io, 'import', checked.revisions, 'revisions');
  const done = { added: 0, pages: 0, created: 0, accounts: 0 };
  const revisions = peekable(revisionsOf(readHistory(file).items));
  for (let next = revisions.peek(); next; next = revisions.peek()) {
    const deleted = checked.deleted.get(next.page);
    const title = deleted?.title ?? parseTitle(next.page);
    const key = deleted ? next.page : title.text;
    function* ofPage() {
      for (let r = revisions.peek(); r && (r.page === key || (!deleted && !r.page.startsWith('#') && parseTitle(r.page).text === key)); r = revisions.peek()) {
        revisions.take();
        bar.tick();
        yield r;
      }
    }
    try {
      const result = deleted ? importer.importDeletedPage(title, deleted.info, ofPage()) : importer.importPage(title, ofPage());
      done.added += result.added;
      done.pages += result.added > 0 ? 1 : 0;
      done.created += result.created ? 1 : 0;
      done.accounts += result.accounts;
    } catch (e) {
      // Someone changed the wiki between the check and now; what is imported stays, a new run resumes.
      if (e instanceof WikiError) throw new Error(`${e.message} (${done.pages} pages were imported before it; running import again skips what is here.)`);
      throw e;
    }
  }
  bar.done();
  return done;
}

function* revisionsOf(items: Iterable<HistoryItem>): Generator<HistoryRevision> {
  for (const item of items) if (item.type === 'revision') yield item.revision;
}

function peekable<T>(it: Iterator<T>): { peek(): T | undefined; take(): void } {
  let head = it.next();
  return {
    peek: () => (head.done ? undefined : head.value),
    take: () => {
      head = it.next();
    },
  };
}

function titleOf(raw: string, item: HistoryItem): Title {
  try {
    return parseTitle(raw);
  } catch (e) {
    throw bad(item, `"${raw}" is not a valid title: ${(e as Error).message}`);
  }
}

function bad(item: HistoryItem, message: string): CliError {
  return new CliError(`${HISTORY_FILE}${item.line ? ` line ${item.line}` : ''}: ${message.replace(/\.$/, '')}.`);
}
