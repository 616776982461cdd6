/**
 * `wiki import-xml FILE`: a MediaWiki XML export (schema 0.10 or 0.11, full histories, as
 * Special:Export and dumpBackup.php write them) read into the wiki (SPEC section 10). Read
 * twice with saxes, a strict streaming XML parser, a chunk at a time and only as far as needed, so
 * a dump of a few GB takes bounded memory however long a page's history: first the whole file is checked (well formed, complete, every page
 * and revision with what it needs), so a truncated or invalid file stops with a clear message
 * before anything is written; then each page's revisions, their wikitext converted to Markdown
 * (wiki/wikitext.ts), go in through the history importer of `wiki import`, one transaction a
 * page, authors kept by name (an IP editor as a temporary account named by the address),
 * timestamps and comments kept. Running it again adds nothing twice.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Config } from '../config.js';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createStores } from '../db/stores.js';
import { DumpStore } from '../db/dump.js';
import { HistoryImporter, type IncomingRevision } from '../wiki/import.js';
import { wikitextToMarkdown, type Kept } from '../wiki/wikitext.js';
import { NAMESPACE_IDS } from '../wiki/mediawiki.js';
import { canonicalAddress } from '../wiki/address.js';
import { tryParseTitle, type Title } from '../wiki/title.js';
import { WikiError } from '../wiki/errors.js';
import { SYSTEM_NAME } from '../auth/accounts.js';
import { commandArgs } from './args.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';

const USAGE = 'import-xml FILE';

interface DumpRevision {
  timestamp: string;
  username?: string;
  ip?: string;
  comment: string;
  minor: boolean;
  text: string;
  model: string;
}

interface PageHead {
  title: string;
  ns: number;
  line: number;
}

type DumpEvent =
  | { kind: 'siteinfo'; namespaces: Map<number, string> }
  | { kind: 'page'; page: PageHead }
  | { kind: 'revision'; revision: DumpRevision }
  | { kind: 'pageEnd' };

/** Bytes read from the file at a time. */
const CHUNK = 1 << 20;

/**
 * The dump as a stream of events (siteinfo, a page's head, each of its revisions, its end), pulled
 * one at a time: the file is read a chunk at a time only when no event is waiting, so at most one
 * chunk's revisions are in memory whatever the size of a page's history.
 * @throws CliError (from next()) for anything malformed, with its line.
 */
export class DumpReader {
  private readonly fd: number;
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = Buffer.alloc(CHUNK);
  private readonly events: DumpEvent[] = [];
  private readonly path: string[] = [];
  private readonly namespaces = new Map<number, string>();
  private ended = false;
  private version = '';
  private nsKey: number | undefined;
  private page: PageHead | undefined;
  private headSent = false;
  private revision: Partial<DumpRevision> = {};
  private text = '';

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'r');
    const p = this.parser;
    p.on('error', (e) => {
      throw this.fail(`not well-formed XML (${e.message.replace(/^.*?:\d+:\d+: /, '')})`);
    });
    p.on('opentag', (tag: SaxesTagPlain) => this.open(tag));
    p.on('text', (t) => (this.text += t));
    p.on('cdata', (t) => (this.text += t));
    p.on('closetag', () => this.close());
  }

  /** The next event without taking it; undefined at the end of the file. */
  peek(): DumpEvent | undefined {
    while (this.events.length === 0 && !this.ended) this.pump();
    return this.events[0];
  }

  next(): DumpEvent | undefined {
    const e = this.peek();
    this.events.shift();
    return e;
  }

  /** Events read from the file and not yet taken: a chunk's worth at most. */
  get waiting(): number {
    return this.events.length;
  }

  closeFile(): void {
    closeSync(this.fd);
  }

  fail(why: string): CliError {
    return new CliError(`${this.file} line ${this.parser.line}: ${why}; nothing was imported. Check that the file is a complete MediaWiki XML export (Special:Export or dumpBackup.php).`);
  }

  private pump(): void {
    const n = readSync(this.fd, this.buffer, 0, CHUNK, null);
    if (n > 0) {
      this.parser.write(this.decoder.write(this.buffer.subarray(0, n)));
      return;
    }
    this.parser.write(this.decoder.end());
    this.parser.close();
    this.ended = true;
    if (this.path.length > 0) throw this.fail(`the file ends inside <${this.path.at(-1)}>: it is truncated`);
    if (!this.version) throw this.fail('the file is empty');
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name;
    if (this.path.length === 0) {
      if (name !== 'mediawiki') throw this.fail(`the root element is <${name}>, not <mediawiki>`);
      this.version = String(tag.attributes.version ?? '');
      if (!/^0\.(1[01]|[3-9])$/.test(this.version)) throw this.fail(`export version "${this.version}" is not one this wiki reads (0.10 or 0.11; 0.3 to 0.9 are read as far as they go)`);
    }
    this.path.push(name);
    this.text = '';
    const where = this.path.join('/');
    if (where === 'mediawiki/siteinfo/namespaces/namespace') this.nsKey = Number(tag.attributes.key);
    else if (where === 'mediawiki/page') {
      this.page = { title: '', ns: 0, line: this.parser.line };
      this.headSent = false;
    } else if (where === 'mediawiki/page/revision') {
      this.sendHead();
      this.revision = { comment: '', minor: false, model: 'wikitext' };
    } else if (where === 'mediawiki/page/revision/minor') this.revision.minor = true;
  }

  private sendHead(): void {
    if (this.headSent) return;
    if (!this.page!.title) throw this.fail('a <page> has no <title> before its revisions');
    this.events.push({ kind: 'page', page: this.page! });
    this.headSent = true;
  }

  private close(): void {
    const where = this.path.join('/');
    const r = this.revision;
    const title = this.page?.title ?? '';
    switch (where) {
      case 'mediawiki/siteinfo/namespaces/namespace':
        if (this.nsKey !== undefined && Number.isInteger(this.nsKey)) this.namespaces.set(this.nsKey, this.text);
        break;
      case 'mediawiki/siteinfo':
        this.events.push({ kind: 'siteinfo', namespaces: this.namespaces });
        break;
      case 'mediawiki/page/title':
        this.page!.title = this.text;
        break;
      case 'mediawiki/page/ns':
        this.page!.ns = Number(this.text);
        break;
      case 'mediawiki/page/revision/timestamp':
        r.timestamp = this.text.trim();
        break;
      case 'mediawiki/page/revision/contributor/username':
        r.username = this.text;
        break;
      case 'mediawiki/page/revision/contributor/ip':
        r.ip = this.text.trim();
        break;
      case 'mediawiki/page/revision/comment':
        r.comment = this.text;
        break;
      case 'mediawiki/page/revision/model':
        r.model = this.text.trim();
        break;
      case 'mediawiki/page/revision/text':
        r.text = this.text;
        break;
      case 'mediawiki/page/revision':
        if (!r.timestamp || Number.isNaN(Date.parse(r.timestamp))) throw this.fail(`a revision of "${title}" has no valid <timestamp>`);
        if (r.text === undefined) throw this.fail(`a revision of "${title}" has no <text>`);
        if (r.username === undefined && r.ip === undefined) throw this.fail(`a revision of "${title}" has no <contributor> with a <username> or an <ip>`);
        this.events.push({ kind: 'revision', revision: r as DumpRevision });
        this.revision = {};
        break;
      case 'mediawiki/page':
        this.sendHead();
        this.events.push({ kind: 'pageEnd' });
        this.page = undefined;
        break;
    }
    this.path.pop();
    this.text = '';
  }
}

/** This wiki's namespace for a MediaWiki namespace number, when it has one. */
const OUR_NAMESPACES = new Map(Object.entries(NAMESPACE_IDS).map(([name, id]) => [id, name]));

/**
 * The title here of a page of the dump: a namespace this wiki has by its number (so `Kategorie:` is
 * `Category:`), any other (Template:, File:, project pages) keeps its prefixed title.
 */
function titleHere(page: PageHead, names: Map<number, string>): Title | undefined {
  const ours = OUR_NAMESPACES.get(page.ns);
  const theirs = names.get(page.ns);
  let text = page.title.replace(/_/g, ' ');
  if (ours !== undefined && page.ns !== 0 && theirs && text.startsWith(`${theirs}:`)) text = `${ours}:${text.slice(theirs.length + 1)}`;
  return tryParseTitle(text);
}

export function importXmlCommand(config: Config, args: string[], io: CliIo): number {
  const { values } = commandArgs(args, USAGE, ['FILE'], []);
  const file = resolve(values[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file} is not a file; give the path of a MediaWiki XML export.`);

  // Pass one: the whole file is read and checked before anything is written.
  let pages = 0;
  let revisions = 0;
  const bad: string[] = [];
  let names = new Map<number, string>();
  const check = new DumpReader(file);
  try {
    for (let e = check.next(); e; e = check.next()) {
      if (e.kind === 'siteinfo') names = e.namespaces;
      else if (e.kind === 'page') {
        pages += 1;
        if (!titleHere(e.page, names) && bad.length < 5) bad.push(`"${e.page.title}" (line ${e.page.line})`);
      } else if (e.kind === 'revision') revisions += 1;
    }
  } finally {
    check.closeFile();
  }
  if (bad.length) throw new CliError(`${file}: these titles cannot be titles here: ${bad.join(', ')}; nothing was imported. Rename them in the file, or leave those pages out.`);

  const db = openDatabase(config.dbFile);
  const reader = new DumpReader(file);
  try {
    migrate(db);
    const importer = new HistoryImporter(createStores(db), new DumpStore(db));
    const bar = progress(io, 'import-xml', revisions, 'revisions');
    const done = { added: 0, pages: 0, created: 0, accounts: 0 };
    const kept: Kept = { templates: 0, tags: 0, tables: 0, files: 0, comments: 0, whole: 0 };
    const incoming = (r: DumpRevision): IncomingRevision => {
      const converted = r.model === 'wikitext' ? wikitextToMarkdown(r.text) : { markdown: r.text, kept: undefined };
      if (converted.kept) for (const k of Object.keys(kept) as (keyof Kept)[]) kept[k] += converted.kept[k];
      const ip = r.ip !== undefined ? (canonicalAddress(r.ip) ?? r.ip) : undefined;
      const name = ip ?? r.username!.replace(/_/g, ' ').trim();
      return {
        timestamp: new Date(r.timestamp).toISOString(),
        sha1: createHash('sha1').update(converted.markdown, 'utf8').digest('hex'),
        author: name,
        // An address, or a temporary account's "~" name (this wiki's and MediaWiki's own), is a
        // temporary account; the wiki's own account comes back as itself (an export-xml of this wiki).
        authorKind: ip !== undefined || name.startsWith('~') ? 'temp' : name === SYSTEM_NAME ? 'system' : 'user',
        comment: r.comment,
        minor: r.minor,
        tags: [],
        source: converted.markdown,
      };
    };
    for (let e = reader.next(); e; e = reader.next()) {
      if (e.kind !== 'page') continue;
      const head = e.page;
      const title = titleHere(head, names)!;
      // The page's revisions, pulled from the file one by one as the importer writes them.
      function* ofPage(): Generator<IncomingRevision> {
        for (let r = reader.peek(); r?.kind === 'revision'; r = reader.peek()) {
          reader.next();
          bar.tick();
          yield incoming(r.revision);
        }
      }
      try {
        const result = importer.importPage(title, ofPage());
        done.added += result.added;
        done.pages += result.added > 0 ? 1 : 0;
        done.created += result.created ? 1 : 0;
        done.accounts += result.accounts;
      } catch (err) {
        if (err instanceof WikiError) throw new CliError(`${err.message.replace(/\.$/, '')} (page "${head.title}", line ${head.line}; ${done.pages} pages were imported before it, and running import-xml again skips what is here).`);
        throw err;
      }
      // Whatever of the page the importer did not read (nothing, normally) is passed over.
      for (let r = reader.peek(); r?.kind === 'revision'; r = reader.peek()) reader.next();
    }
    bar.done();
    io.out(
      `imported ${done.added} revisions into ${done.pages} pages (${done.created} new pages, ${done.accounts} new accounts) from ${file}; ` +
        `${revisions - done.added} of its ${revisions} revisions were already here; ` +
        `kept as text: ${kept.templates} templates and parser functions, ${kept.tags} tags, ${kept.tables} tables, ${kept.files} files, ${kept.whole} whole texts nested too deep to convert; ${kept.comments} comments left out`,
    );
    return 0;
  } finally {
    reader.closeFile();
    closeDatabase(db);
  }
}
