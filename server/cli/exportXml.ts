/**
 * `wiki export-xml FILE [--for-mediawiki] [--force]`: the wiki's whole history (every live page,
 * every revision, oldest first) as a MediaWiki XML export, schema 0.11, as Special:Export and
 * dumpBackup.php lay it out (SPEC section 10). Content model `markdown` (text/markdown), or with
 * --for-mediawiki `text` (text/plain), which a stock MediaWiki imports with importDump.php.
 * Written from one read snapshot, text by text, so memory stays flat whatever the wiki's size.
 * Temporary accounts are written by name, never with the address an admin may see.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { closeDatabase, openDatabase, type Db } from '../db/connection.js';
import { ContentStore } from '../db/content.js';
import { DumpStore, type DumpRevision } from '../db/dump.js';
import { analyze } from '../wiki/markdown.js';
import { GENERATOR, NAMESPACE_IDS, mwTime, namespaceOf, sha1Base36 } from '../wiki/mediawiki.js';
import { NAMESPACES, parseTitle } from '../wiki/title.js';
import { escapeXml, XML_DECLARATION } from '../../views/xml.js';
import { commandArgs, requireDatabase } from './args.js';
import { CliError, type CliIo } from './io.js';
import { progress } from './progress.js';
import { BufferedFile } from './bufferedFile.js';

const USAGE = 'export-xml FILE [--for-mediawiki] [--force]';
const SCHEMA = 'http://www.mediawiki.org/xml/export-0.11/';
const BATCH = 200;

export function exportXmlCommand(config: Config, args: string[], io: CliIo): number {
  const { values, flags } = commandArgs(args, USAGE, ['FILE'], ['for-mediawiki', 'force']);
  const file = resolve(values[0]!);
  requireDatabase(config.dbFile);
  if (existsSync(file) && !flags.force) throw new CliError(`${file} exists; give a new file name, or add --force to replace it.`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new CliError(`${file} is a folder; give a file name for the XML export.`);
  const db = openDatabase(config.dbFile);
  // Written beside the target and renamed at the end: a failed export never leaves half a file under its name.
  const partial = `${file}.partial`;
  try {
    const done = db.transaction(() => writeXml(db, config, partial, io, flags['for-mediawiki']))();
    renameSync(partial, file);
    io.out(`exported ${done.pages} pages and ${done.revisions} revisions to ${file} (${statSync(file).size} bytes, MediaWiki XML 0.11, content model ${flags['for-mediawiki'] ? 'text' : 'markdown'})`);
    return 0;
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    closeDatabase(db);
  }
}

function writeXml(db: Db, config: Config, file: string, io: CliIo, forMediaWiki: boolean): { pages: number; revisions: number } {
  const dump = new DumpStore(db);
  const content = new ContentStore(db);
  const counts = dump.counts();
  const out = new BufferedFile(file);
  const [model, format] = forMediaWiki ? ['text', 'text/plain'] : ['markdown', 'text/markdown'];
  out.write(XML_DECLARATION);
  out.write(`<mediawiki xmlns="${SCHEMA}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${SCHEMA} http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">\n`);
  out.write(siteinfo(config));
  const bar = progress(io, 'export-xml', counts.liveRevisions, 'revisions');
  let pages = 0;
  let revisions = 0;
  for (let after = 0; ; ) {
    const batch = dump.pagesAfter(after, BATCH);
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    for (const page of batch) {
      const title = parseTitle(page.title);
      const redirect = analyze(content.read(page.latestContentId)).redirect;
      out.write(`  <page>\n    <title>${escapeXml(title.text)}</title>\n    <ns>${namespaceOf(title)}</ns>\n    <id>${page.id}</id>\n`);
      if (redirect) out.write(`    <redirect title="${escapeXml(redirect.title.text)}" />\n`);
      for (let from = 0; ; ) {
        const revs = dump.revisionsOfPage(page.id, from, BATCH);
        if (revs.length === 0) break;
        from = revs.at(-1)!.id;
        for (const r of revs) out.write(revisionXml(r, content.read(r.contentId), model, format));
        revisions += revs.length;
        bar.tick(revs.length);
      }
      out.write('  </page>\n');
      pages += 1;
    }
  }
  out.write('</mediawiki>\n');
  out.close();
  bar.done();
  return { pages, revisions };
}

function siteinfo(config: Config): string {
  const namespaces = [[-2, 'Media'], [-1, 'Special'], [0, ''], ...NAMESPACES.map((ns) => [NAMESPACE_IDS[ns], ns] as const)]
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([key, name]) => (name ? `      <namespace key="${key}" case="first-letter">${escapeXml(String(name))}</namespace>\n` : `      <namespace key="${key}" case="first-letter" />\n`))
    .join('');
  return `  <siteinfo>\n    <sitename>Peerwiki</sitename>\n    <dbname>peerwiki</dbname>\n    <base>${escapeXml(`${config.publicUrl}/wiki/Main_Page`)}</base>\n` +
    `    <generator>${escapeXml(GENERATOR)}</generator>\n    <case>first-letter</case>\n    <namespaces>\n${namespaces}    </namespaces>\n  </siteinfo>\n`;
}

function revisionXml(r: DumpRevision, text: string, model: string, format: string): string {
  // Every author by name: MediaWiki's importer matches accounts by name, and a temporary account's address stays private.
  const contributor = `      <contributor>\n        <username>${escapeXml(r.author)}</username>\n      </contributor>\n`;
  const sha1 = sha1Base36(r.sha1);
  return `    <revision>\n      <id>${r.id}</id>\n${r.parentId !== null ? `      <parentid>${r.parentId}</parentid>\n` : ''}      <timestamp>${mwTime(r.timestamp)}</timestamp>\n` +
    contributor +
    (r.minor ? '      <minor />\n' : '') +
    (r.comment !== '' ? `      <comment>${escapeXml(r.comment)}</comment>\n` : '') +
    `      <model>${model}</model>\n      <format>${format}</format>\n` +
    `      <text bytes="${Buffer.byteLength(text, 'utf8')}" sha1="${sha1}" xml:space="preserve">${escapeXml(text)}</text>\n      <sha1>${sha1}</sha1>\n    </revision>\n`;
}
