/**
 * What `export-xml --for-mediawiki` writes, imported by MediaWiki's own importDump.php (Debian's
 * mediawiki package, MediaWiki 1.39, over SQLite): every page and revision arrives, in the right
 * namespaces, with its text. Skipped (loudly) where MediaWiki is not installed, except in CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { buildSampleWiki, capture, cleanupDirs, tempDir, withWiki } from '../helpers/cli.js';

const MEDIAWIKI = '/usr/share/mediawiki';
const INSTALLED = existsSync(join(MEDIAWIKI, 'maintenance/importDump.php')) && existsSync('/usr/bin/php');
if (!INSTALLED && !process.env.CI) {
  console.warn('\n*** MediaWiki is not installed (apt-get install mediawiki php-sqlite3): the check that its importDump.php reads export-xml is SKIPPED here. CI runs it. ***\n');
}

afterEach(cleanupDirs);

function php(args: string[]): string {
  const r = spawnSync('/usr/bin/php', args, { cwd: MEDIAWIKI, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`php ${args.join(' ')} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!INSTALLED && !process.env.CI)('MediaWiki\'s importDump.php', () => {
  it('imports every page and revision of export-xml --for-mediawiki, in their namespaces, with their text', async () => {
    if (!INSTALLED) throw new Error('MediaWiki is not installed, and CI is set: install mediawiki and php-sqlite3 (apt-get install mediawiki php-sqlite3).');
    const dir = tempDir();
    const source = join(dir, 'a.db');
    buildSampleWiki(source);
    const file = join(dir, 'dump.xml');
    expect(await runCli(['export-xml', '--for-mediawiki', file], capture(source).cli)).toBe(0);

    const data = join(dir, 'mw');
    mkdirSync(data);
    php(['maintenance/install.php', '--dbtype', 'sqlite', '--dbpath', data, '--dbname', 'peerwikitest', '--server', 'http://localhost', '--scriptpath', '/mw',
      '--pass', 'an admin password for the test', '--confpath', dir, 'Peerwiki test', 'Admin']);
    expect(php(['maintenance/importDump.php', '--conf', join(dir, 'LocalSettings.php'), file])).toContain('Done!');

    const ours = withWiki(source, (stores, db) => db.prepare(`SELECT p.title, r.id, r.content_id FROM page p JOIN revision r ON r.page_id = p.id
      WHERE p.latest_id IS NOT NULL AND p.title NOT LIKE '#%' ORDER BY p.title, r.id`).all().map((r) => {
      const row = r as { title: string; content_id: number };
      return { title: row.title, text: stores.content.get(row.content_id) };
    }));
    const mw = new Database(join(data, 'peerwikitest.sqlite'), { readonly: true });
    try {
      const ns: Record<number, string> = { 0: '', 1: 'Talk:', 2: 'User:', 3: 'User talk:', 4: 'Project:', 12: 'Help:', 14: 'Category:' };
      const theirs = mw.prepare(`SELECT p.page_namespace AS ns, p.page_title AS title, t.old_text AS text FROM page p JOIN revision r ON r.rev_page = p.page_id
        JOIN slots s ON s.slot_revision_id = r.rev_id JOIN content c ON c.content_id = s.slot_content_id JOIN text t ON 'tt:' || t.old_id = c.content_address
        ORDER BY p.page_namespace, p.page_title, r.rev_id`).all() as { ns: number; title: string; text: string }[];
      const imported = theirs.map((r) => ({ title: `${ns[r.ns] ?? `${r.ns}:`}${r.title.replace(/_/g, ' ')}`, text: r.text }));
      // Every revision of this wiki is there, with its text; the one more is MediaWiki's own first Main Page.
      for (const r of ours) expect(imported).toContainEqual(r);
      expect(imported.length).toBe(ours.length + 1);
    } finally {
      mw.close();
    }
  });
});
