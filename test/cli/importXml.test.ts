import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { DumpReader } from '../../server/cli/importXml.js';
import { parseTitle } from '../../server/wiki/title.js';
import { buildSampleWiki, capture, cleanupDirs, snapshot, tempDir, withWiki } from '../helpers/cli.js';

afterEach(cleanupDirs);

/** A dump as MediaWiki 1.39's Special:Export writes one (schema 0.11): siteinfo, then pages with full histories. */
function dump(pages: string, o: { categoryName?: string } = {}): string {
  return `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="de">
  <siteinfo>
    <sitename>Testwiki</sitename>
    <dbname>testwiki</dbname>
    <base>https://test.example.org/wiki/Hauptseite</base>
    <generator>MediaWiki 1.39.5</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Medium</namespace>
      <namespace key="-1" case="first-letter">Spezial</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Diskussion</namespace>
      <namespace key="2" case="first-letter">Benutzer</namespace>
      <namespace key="10" case="first-letter">Vorlage</namespace>
      <namespace key="14" case="first-letter">${o.categoryName ?? 'Kategorie'}</namespace>
    </namespaces>
  </siteinfo>
${pages}
</mediawiki>
`;
}

function revision(o: { id: number; parent?: number; timestamp: string; user?: string; ip?: string; comment?: string; minor?: boolean; text: string }): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `    <revision>
      <id>${o.id}</id>
${o.parent ? `      <parentid>${o.parent}</parentid>\n` : ''}      <timestamp>${o.timestamp}</timestamp>
      <contributor>
${o.ip ? `        <ip>${o.ip}</ip>\n` : `        <username>${esc(o.user!)}</username>\n        <id>7</id>\n`}      </contributor>
${o.minor ? '      <minor />\n' : ''}${o.comment ? `      <comment>${esc(o.comment)}</comment>\n` : ''}      <origin>${o.id}</origin>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text bytes="${Buffer.byteLength(o.text)}" sha1="0000000000000000000000000000000" xml:space="preserve">${esc(o.text)}</text>
      <sha1>0000000000000000000000000000000</sha1>
    </revision>
`;
}

const USENET = [
  revision({ id: 1, timestamp: '2020-01-01T10:00:00Z', user: 'Alice_Smith', comment: 'new page', text: "'''Usenet''' is a [[discussion]] system." }),
  revision({ id: 2, parent: 1, timestamp: '2020-01-02T10:00:00Z', ip: '192.0.2.44', comment: 'add history', text: "'''Usenet''' is a [[discussion]] system.<ref>Hauben, 1997.</ref>\n\n== History ==\n* 1980: created\n\n{{Infobox network|name=Usenet}}\n\n[[Kategorie:Netze]]" }),
  revision({ id: 3, parent: 2, timestamp: '2020-01-03T10:00:00Z', user: 'Bob', minor: true, comment: 'table', text: "'''Usenet''' is a [[discussion]] system.<ref>Hauben, 1997.</ref>\n\n== History ==\n{| class=\"wikitable\"\n! Year !! Event\n|-\n| 1980 || created\n|}\n\n{{Infobox network|name=Usenet}}\n\n[[Kategorie:Netze]]" }),
].join('');

const PAGES = `  <page>
    <title>Usenet</title>
    <ns>0</ns>
    <id>10</id>
${USENET}  </page>
  <page>
    <title>NNTP</title>
    <ns>0</ns>
    <id>11</id>
    <redirect title="Usenet" />
${revision({ id: 4, timestamp: '2020-01-04T10:00:00Z', user: 'Bob', text: '#WEITERLEITUNG [[Usenet]]' }).replace('#WEITERLEITUNG', '#REDIRECT')}  </page>
  <page>
    <title>Kategorie:Netze</title>
    <ns>14</ns>
    <id>12</id>
${revision({ id: 5, timestamp: '2020-01-05T10:00:00Z', user: 'Alice_Smith', text: 'Networks of all kinds.' })}  </page>
  <page>
    <title>Vorlage:Infobox network</title>
    <ns>10</ns>
    <id>13</id>
${revision({ id: 6, timestamp: '2020-01-06T10:00:00Z', user: 'Alice_Smith', text: '{{{name}}} is a network.' })}  </page>`;

async function imported(xml: string) {
  const dir = tempDir();
  const db = join(dir, 'wiki.db');
  const file = join(dir, 'dump.xml');
  writeFileSync(file, xml);
  const run = capture(db);
  const code = await runCli(['import-xml', file], run.cli);
  return { dir, db, file, run, code };
}

describe('wiki import-xml', () => {
  it('keeps every revision with its author, time and comment, converting the wikitext to Markdown', async () => {
    const { db, run, code } = await imported(dump(PAGES));
    expect(run.err).toEqual([]);
    expect(code).toBe(0);
    expect(run.out[0]).toMatch(/^imported 6 revisions into 4 pages \(4 new pages, 3 new accounts\) from .*dump\.xml; 0 of its 6 revisions were already here; kept as text: 3 templates and parser functions, 0 tags, 0 tables, 0 files, 0 whole texts nested too deep to convert; 0 comments left out$/);
    withWiki(db, (stores) => {
      const usenet = stores.pages.byTitle(parseTitle('Usenet'))!;
      const history = stores.revisions.history(usenet.id, { limit: 10 }).reverse();
      expect(history.map((r) => [r.actor.name, r.actor.kind, r.timestamp, r.comment, r.minor])).toEqual([
        ['Alice Smith', 'user', '2020-01-01T10:00:00.000Z', 'new page', false],
        ['192.0.2.44', 'temp', '2020-01-02T10:00:00.000Z', 'add history', false],
        ['Bob', 'user', '2020-01-03T10:00:00.000Z', 'table', true],
      ]);
      expect(stores.content.get(history[0]!.contentId)).toBe('**Usenet** is a [[discussion]] system.\n');
      const latest = stores.content.get(history[2]!.contentId);
      expect(latest).toContain('## History');
      expect(latest).toContain('| Year | Event |\n| --- | --- |\n| 1980 | created |');
      expect(latest).toContain('[^1]');
      expect(latest).toContain('[^1]: Hauben, 1997.');
      // A template is kept where it was, as visible text.
      expect(latest).toContain('`{{Infobox network|name=Usenet}}`');
      // Kategorie: is this wiki's Category:, by the namespace's number.
      expect(latest).toContain('[[Kategorie:Netze]]');
      expect(stores.pages.byTitle(parseTitle('Category:Netze'))).toBeDefined();
      expect(stores.pages.byTitle(parseTitle('Vorlage:Infobox network'))).toBeDefined();
      const nntp = stores.pages.byTitle(parseTitle('NNTP'))!;
      expect(nntp.isRedirect).toBe(true);
    });
  });

  it('adds nothing the second time', async () => {
    const { db, file } = await imported(dump(PAGES));
    const before = snapshot(db);
    const again = capture(db);
    expect(await runCli(['import-xml', file], again.cli)).toBe(0);
    expect(again.out[0]).toMatch(/^imported 0 revisions into 0 pages .*; 6 of its 6 revisions were already here/);
    expect(snapshot(db)).toEqual(before);
  });

  it.each([
    ['truncated', (xml: string) => xml.slice(0, xml.indexOf('</page>') + 20), /truncated|not well-formed/],
    ['not well formed', (xml: string) => xml.replace('<ns>0</ns>', '<ns>0</nss>'), /not well-formed/],
    ['a revision without text', (xml: string) => xml.replace(/<text [^>]*>[^<]*<\/text>/, ''), /has no <text>/],
    ['not a MediaWiki export', () => '<html><body>hello</body></html>', /root element is <html>/],
  ])('stops on a %s file with a clear message and leaves the wiki as it was', async (_name, spoil, message) => {
    const dir = tempDir();
    const db = join(dir, 'wiki.db');
    const first = join(dir, 'first.xml');
    writeFileSync(first, dump(`  <page>\n    <title>Kept</title>\n    <ns>0</ns>\n    <id>1</id>\n${revision({ id: 1, timestamp: '2021-01-01T00:00:00Z', user: 'Carol', text: 'Already here.' })}  </page>`));
    expect(await runCli(['import-xml', first], capture(db).cli)).toBe(0);
    const before = snapshot(db);
    const file = join(dir, 'bad.xml');
    writeFileSync(file, spoil(dump(PAGES)));
    const run = capture(db);
    expect(await runCli(['import-xml', file], run.cli)).toBe(2);
    expect(run.err.join('\n')).toMatch(message);
    expect(run.err.join('\n')).toContain('nothing was imported');
    expect(snapshot(db)).toEqual(before);
  });

  it('reads back what export-xml wrote: the same pages and history, to the second', async () => {
    const dir = tempDir();
    const source = join(dir, 'a.db');
    buildSampleWiki(source);
    const file = join(dir, 'dump.xml');
    expect(await runCli(['export-xml', file], capture(source).cli)).toBe(0);
    const target = join(dir, 'b.db');
    const run = capture(target);
    expect(await runCli(['import-xml', file], run.cli)).toBe(0);
    const histories = (db: string) => withWiki(db, (_stores, raw) => raw.prepare(`
      SELECT p.title, substr(r.timestamp, 1, 19) AS at, a.name AS author, a.kind, r.comment, r.minor, lower(hex(c.sha1)) AS sha1
      FROM revision r JOIN page p ON p.id = r.page_id JOIN actor a ON a.id = r.actor_id JOIN content c ON c.id = r.content_id
      WHERE p.title NOT LIKE '#%' ORDER BY p.title, r.id`).all());
    expect(histories(target)).toEqual(histories(source));
  });

  it('reads a long history a chunk at a time: what waits in memory does not grow with the page', async () => {
    const dir = tempDir();
    const file = join(dir, 'long.xml');
    const text = 'A revision of a long history. '.repeat(60);
    const revs = (n: number) => Array.from({ length: n }, (_, i) => revision({ id: i + 1, timestamp: new Date(Date.UTC(2020, 0, 1, 0, 0, i)).toISOString().replace('.000', ''), user: 'Writer', text: `${text}${i}` })).join('');
    const peak = (n: number) => {
      writeFileSync(file, dump(`  <page>\n    <title>Long</title>\n    <ns>0</ns>\n    <id>1</id>\n${revs(n)}  </page>`));
      const reader = new DumpReader(file);
      let most = 0;
      let count = 0;
      try {
        for (let e = reader.next(); e; e = reader.next()) {
          most = Math.max(most, reader.waiting);
          if (e.kind === 'revision') count += 1;
        }
      } finally {
        reader.closeFile();
      }
      expect(count).toBe(n);
      return most;
    };
    const small = peak(1500);
    const large = peak(6000);
    // Four times the history, about as much waiting: bounded by the chunk, not by the page.
    expect(large).toBeLessThan(small * 1.5 + 10);
    const db = join(dir, 'wiki.db');
    const run = capture(db);
    expect(await runCli(['import-xml', file], run.cli)).toBe(0);
    expect(run.out[0]).toMatch(/^imported 6000 revisions into 1 pages/);
  });
});
