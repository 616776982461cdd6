import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { runCli } from '../../server/cli/run.js';
import { buildSampleWiki, capture, cleanupDirs, tempDir, withWiki } from '../helpers/cli.js';
import { sha1Base36 } from '../../server/wiki/mediawiki.js';

afterEach(cleanupDirs);

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/** The whole document as a tree, parsed by a strict XML parser (saxes): any malformation throws. */
function parseXml(file: string): Element {
  const parser = new SaxesParser({ xmlns: false });
  const root: Element = { name: '#root', attributes: {}, children: [], text: '' };
  const stack = [root];
  parser.on('opentag', (t) => {
    const el: Element = { name: t.name, attributes: t.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => (stack.at(-1)!.text += t));
  parser.on('closetag', () => void stack.pop());
  parser.write(readFileSync(file, 'utf8')).close();
  return root.children[0]!;
}

const child = (el: Element, name: string) => el.children.find((c) => c.name === name);
const children = (el: Element, name: string) => el.children.filter((c) => c.name === name);

async function exportedXml(flags: string[] = []) {
  const dir = tempDir();
  const source = join(dir, 'a.db');
  buildSampleWiki(source);
  const file = join(dir, 'dump.xml');
  const run = capture(source);
  expect(await runCli(['export-xml', file, ...flags], run.cli)).toBe(0);
  return { dir, source, file, run };
}

describe('wiki export-xml', () => {
  it('writes every live page and revision as MediaWiki\'s export schema 0.11 lays them out', async () => {
    const { source, file, run } = await exportedXml();
    expect(run.out[0]).toMatch(/^exported \d+ pages and \d+ revisions to .*dump\.xml \(\d+ bytes, MediaWiki XML 0\.11, content model markdown\)$/);
    const doc = parseXml(file);
    expect(doc.name).toBe('mediawiki');
    expect(doc.attributes).toMatchObject({ xmlns: 'http://www.mediawiki.org/xml/export-0.11/', version: '0.11', 'xml:lang': 'en' });
    const site = child(doc, 'siteinfo')!;
    expect(site.children.map((c) => c.name)).toEqual(['sitename', 'dbname', 'base', 'generator', 'case', 'namespaces']);
    expect(child(site, 'generator')!.text).toMatch(/^MediaWiki 1\.39\.0 \(Peerwiki/);
    expect(children(child(site, 'namespaces')!, 'namespace').map((n) => [n.attributes.key, n.text])).toContainEqual(['14', 'Category']);

    const pages = children(doc, 'page');
    const expected = withWiki(source, (stores, db) => ({
      pages: (db.prepare(`SELECT count(*) AS n FROM page WHERE latest_id IS NOT NULL AND title NOT LIKE '#%'`).get() as { n: number }).n,
      revisions: db.prepare(`SELECT r.id, r.timestamp, a.name, r.comment, r.minor, r.content_id FROM revision r JOIN page p ON p.id = r.page_id JOIN actor a ON a.id = r.actor_id
        WHERE p.title NOT LIKE '#%' ORDER BY r.page_id, r.id`).all().map((r) => {
        const row = r as { id: number; timestamp: string; name: string; comment: string; minor: number; content_id: number };
        return { ...row, text: stores.content.get(row.content_id) };
      }),
    }));
    expect(pages).toHaveLength(expected.pages);
    expect(pages.some((p) => child(p, 'title')!.text === 'Spam')).toBe(false);
    const revisions = pages.flatMap((p) => children(p, 'revision'));
    expect(revisions).toHaveLength(expected.revisions.length);
    revisions.forEach((rev, i) => {
      const want = expected.revisions[i]!;
      expect(rev.children.map((c) => c.name)).toEqual(['id', ...(child(rev, 'parentid') ? ['parentid'] : []), 'timestamp', 'contributor', ...(want.minor ? ['minor'] : []), ...(want.comment ? ['comment'] : []), 'model', 'format', 'text', 'sha1']);
      expect(Number(child(rev, 'id')!.text)).toBe(want.id);
      expect(child(rev, 'timestamp')!.text).toBe(`${want.timestamp.slice(0, 19)}Z`);
      expect(child(child(rev, 'contributor')!, 'username')!.text).toBe(want.name);
      expect(child(rev, 'text')!.text).toBe(want.text);
      expect(child(rev, 'text')!.attributes.bytes).toBe(String(Buffer.byteLength(want.text)));
      expect(child(rev, 'model')!.text).toBe('markdown');
      expect(child(rev, 'format')!.text).toBe('text/markdown');
    });
    // Titles and namespaces as MediaWiki numbers them.
    const byTitle = new Map(pages.map((p) => [child(p, 'title')!.text, Number(child(p, 'ns')!.text)]));
    for (const [title, ns] of byTitle) {
      if (title.startsWith('Category:')) expect(ns).toBe(14);
      if (title.startsWith('Talk:')) expect(ns).toBe(1);
      if (!title.includes(':')) expect(ns).toBe(0);
    }
  });

  it('writes the model MediaWiki imports as is with --for-mediawiki, and the sha1 in base 36', async () => {
    const { file } = await exportedXml(['--for-mediawiki']);
    const rev = children(children(parseXml(file), 'page')[0]!, 'revision')[0]!;
    expect(child(rev, 'model')!.text).toBe('text');
    expect(child(rev, 'format')!.text).toBe('text/plain');
    const text = child(rev, 'text')!.text;
    const hex = (await import('node:crypto')).createHash('sha1').update(text, 'utf8').digest('hex');
    expect(child(rev, 'sha1')!.text).toBe(sha1Base36(hex));
    expect(child(rev, 'sha1')!.text).toMatch(/^[0-9a-z]{31}$/);
  });

  it('marks redirects with their target and keeps text that XML cannot carry well formed', async () => {
    const dir = tempDir();
    const source = join(dir, 'a.db');
    buildSampleWiki(source);
    const { saveEdit } = await import('../../server/wiki/edit.js');
    const { parseTitle } = await import('../../server/wiki/title.js');
    withWiki(source, (stores) => {
      const actor = stores.actors.system();
      saveEdit(stores, { title: parseTitle('Old name'), source: '#REDIRECT [[New name]]', comment: 'moved', baseId: null, actor });
      saveEdit(stores, { title: parseTitle('Markup'), source: 'Less < more & "quotes" ]]> end', comment: 'a <b> & c', baseId: null, actor });
    });
    const file = join(dir, 'dump.xml');
    expect(await runCli(['export-xml', file], capture(source).cli)).toBe(0);
    const pages = children(parseXml(file), 'page');
    const redirect = pages.find((p) => child(p, 'title')!.text === 'Old name')!;
    expect(child(redirect, 'redirect')!.attributes.title).toBe('New name');
    const markup = pages.find((p) => child(p, 'title')!.text === 'Markup')!;
    expect(child(children(markup, 'revision')[0]!, 'text')!.text).toBe('Less < more & "quotes" ]]> end');
    expect(child(children(markup, 'revision')[0]!, 'comment')!.text).toBe('a <b> & c');
  });

  it('refuses to overwrite a file without --force, and leaves no half-written file behind', async () => {
    const dir = tempDir();
    const source = join(dir, 'a.db');
    buildSampleWiki(source);
    const file = join(dir, 'dump.xml');
    writeFileSync(file, 'precious');
    const run = capture(source);
    await expect(runCli(['export-xml', file], run.cli)).resolves.toBe(2);
    expect(run.err.join('\n')).toContain('add --force to replace it');
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(await runCli(['export-xml', file, '--force'], capture(source).cli)).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml/);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
