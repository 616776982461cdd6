/**
 * `wiki import-xml FILE`: a MediaWiki XML export (schema 0.10 or 0.11, full histories, as
 * Special:Export and dumpBackup.php write them) read into the wiki (SPEC section 10). Streamed
 * twice with saxes, a strict streaming XML parser, so a dump of a few GB takes bounded memory (one
 * page's history at a time): first the whole file is checked (well formed, complete, every page
 * and revision with what it needs), so a truncated or invalid file stops with a clear message
 * before anything is written; then each page's revisions, their wikitext converted to Markdown
 * (wiki/wikitext.ts), go in through the history importer of `wiki import`, one transaction a
 * page, authors kept by name (an IP editor as a temporary account named by the address),
 * timestamps and comments kept. Running it again adds nothing twice.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
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

interface DumpPage {
  title: string;
  ns: number;
  revisions: DumpRevision[];
  line: number;
}

/** Reads the dump as a stream, handing each finished page to `onPage`; throws CliError on anything malformed. */
async function readDump(file: string, onPage: (page: DumpPage) => void, onSiteinfo?: (namespaces: Map<number, string>) => void): Promise<void> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path: string[] = [];
  const namespaces = new Map<number, string>();
  let nsKey: number | undefined;
  let page: DumpPage | undefined;
  let revision: Partial<DumpRevision> & { minor?: boolean } = {};
  let text = '';
  let version = '';
  const fail = (why: string) => new CliError(`${file} line ${parser.line}: ${why}; nothing was imported. Check that the file is a complete MediaWiki XML export (Special:Export or dumpBackup.php).`);
  parser.on('error', (e) => {
    throw fail(`not well-formed XML (${e.message.replace(/^.*?:\d+:\d+: /, '')})`);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    if (path.length === 0) {
      if (name !== 'mediawiki') throw fail(`the root element is <${name}>, not <mediawiki>`);
      version = String(tag.attributes.version ?? '');
      if (!/^0\.(1[01]|[3-9])$/.test(version)) throw fail(`export version "${version}" is not one this wiki reads (0.10 or 0.11; 0.3 to 0.9 are read as far as they go)`);
    }
    path.push(name);
    text = '';
    const where = path.join('/');
    if (where === 'mediawiki/siteinfo/namespaces/namespace') nsKey = Number(tag.attributes.key);
    if (where === 'mediawiki/page') page = { title: '', ns: 0, revisions: [], line: parser.line };
    if (where === 'mediawiki/page/revision') revision = { comment: '', minor: false, model: 'wikitext' };
    if (where === 'mediawiki/page/revision/minor') revision.minor = true;
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', () => {
    const where = path.join('/');
    switch (where) {
      case 'mediawiki/siteinfo/namespaces/namespace':
        if (nsKey !== undefined && Number.isInteger(nsKey)) namespaces.set(nsKey, text);
        break;
      case 'mediawiki/siteinfo':
        onSiteinfo?.(namespaces);
        break;
      case 'mediawiki/page/title':
        page!.title = text;
        break;
      case 'mediawiki/page/ns':
        page!.ns = Number(text);
        break;
      case 'mediawiki/page/revision/timestamp':
        revision.timestamp = text.trim();
        break;
      case 'mediawiki/page/revision/contributor/username':
        revision.username = text;
        break;
      case 'mediawiki/page/revision/contributor/ip':
        revision.ip = text.trim();
        break;
      case 'mediawiki/page/revision/comment':
        revision.comment = text;
        break;
      case 'mediawiki/page/revision/model':
        revision.model = text.trim();
        break;
      case 'mediawiki/page/revision/text':
        revision.text = text;
        break;
      case 'mediawiki/page/revision': {
        if (!revision.timestamp || Number.isNaN(Date.parse(revision.timestamp))) throw fail(`a revision of "${page!.title}" has no valid <timestamp>`);
        if (revision.text === undefined) throw fail(`a revision of "${page!.title}" has no <text>`);
        if (revision.username === undefined && revision.ip === undefined) throw fail(`a revision of "${page!.title}" has no <contributor> with a <username> or an <ip>`);
        page!.revisions.push(revision as DumpRevision);
        break;
      }
      case 'mediawiki/page':
        if (!page!.title) throw fail('a <page> has no <title>');
        onPage(page!);
        page = undefined;
        break;
    }
    path.pop();
    text = '';
  });
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.write(chunk as string);
  parser.close();
  if (path.length > 0) throw fail(`the file ends inside <${path.at(-1)}>: it is truncated`);
  if (!version) throw fail('the file is empty');
}

/** This wiki's namespace for a MediaWiki namespace number, when it has one. */
const OUR_NAMESPACES = new Map(Object.entries(NAMESPACE_IDS).map(([name, id]) => [id, name]));

/**
 * The title here of a page of the dump: a namespace this wiki has by its number (so `Kategorie:` is
 * `Category:`), any other (Template:, File:, project pages) keeps its prefixed title.
 */
function titleHere(page: DumpPage, names: Map<number, string>): Title | undefined {
  const ours = OUR_NAMESPACES.get(page.ns);
  const theirs = names.get(page.ns);
  let text = page.title.replace(/_/g, ' ');
  if (ours !== undefined && page.ns !== 0 && theirs && text.startsWith(`${theirs}:`)) text = `${ours}:${text.slice(theirs.length + 1)}`;
  return tryParseTitle(text);
}

export async function importXmlCommand(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = commandArgs(args, USAGE, ['FILE'], []);
  const file = resolve(values[0]!);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file} is not a file; give the path of a MediaWiki XML export.`);

  // Pass one: the whole file is read and checked before anything is written.
  let pages = 0;
  let revisions = 0;
  const bad: string[] = [];
  let names = new Map<number, string>();
  await readDump(file, (page) => {
    pages += 1;
    revisions += page.revisions.length;
    if (!titleHere(page, names) && bad.length < 5) bad.push(`"${page.title}" (line ${page.line})`);
  }, (n) => (names = n));
  if (bad.length) throw new CliError(`${file}: these titles cannot be titles here: ${bad.join(', ')}; nothing was imported. Rename them in the file, or leave those pages out.`);

  const db = openDatabase(config.dbFile);
  try {
    migrate(db);
    const importer = new HistoryImporter(createStores(db), new DumpStore(db));
    const bar = progress(io, 'import-xml', revisions, 'revisions');
    const done = { added: 0, pages: 0, created: 0, accounts: 0 };
    const kept: Kept = { templates: 0, tags: 0, tables: 0, files: 0, comments: 0, whole: 0 };
    await readDump(file, (page) => {
      const title = titleHere(page, names)!;
      const incoming: IncomingRevision[] = page.revisions.map((r) => {
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
      });
      try {
        const result = importer.importPage(title, incoming);
        done.added += result.added;
        done.pages += result.added > 0 ? 1 : 0;
        done.created += result.created ? 1 : 0;
        done.accounts += result.accounts;
      } catch (e) {
        if (e instanceof WikiError) throw new CliError(`${e.message.replace(/\.$/, '')} (page "${page.title}", line ${page.line}; ${done.pages} pages were imported before it, and running import-xml again skips what is here).`);
        throw e;
      }
      bar.tick(page.revisions.length);
    }, (n) => (names = n));
    bar.done();
    io.out(
      `imported ${done.added} revisions into ${done.pages} pages (${done.created} new pages, ${done.accounts} new accounts) from ${file}; ` +
        `${revisions - done.added} of its ${revisions} revisions were already here; ` +
        `kept as text: ${kept.templates} templates and parser functions, ${kept.tags} tags, ${kept.tables} tables, ${kept.files} files, ${kept.whole} whole texts nested too deep to convert; ${kept.comments} comments left out`,
    );
    return 0;
  } finally {
    closeDatabase(db);
  }
}
