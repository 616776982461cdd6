/**
 * `npm run bench:history -- REPO FILE`: how a real, collaboratively written history is stored, next
 * to git. Every version of FILE in the git repository REPO (oldest first) is saved as a revision of
 * one page through the wiki's own save path; the database is then packed and compacted as
 * `wiki migrate` leaves it. The same texts are committed to a fresh git repository and packed with
 * `git gc --aggressive`. Prints, like the benchmark, one `name value unit` line per figure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import { figure, note } from './report.js';

interface Version {
  commit: string;
  author: string;
  date: string;
  subject: string;
  text: string;
}

function git(repo: string, args: string[], input?: string): string {
  return execFileSync('git', ['-C', repo, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** Every version of `file` in `repo`, oldest first (consecutive identical texts once). */
function versionsOf(repo: string, file: string): Version[] {
  const log = git(repo, ['log', '--reverse', '--format=%H%x09%an%x09%aI%x09%s', '--', file]).trim().split('\n').filter(Boolean);
  const out: Version[] = [];
  for (const [i, line] of log.entries()) {
    const [commit, author, date, ...subject] = line.split('\t');
    const shown = spawnSync('git', ['-C', repo, 'show', `${commit}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (shown.status !== 0) continue; // the commit deleted the file
    if (out.at(-1)?.text === shown.stdout) continue;
    out.push({ commit: commit!, author: author!, date: date!, subject: subject.join('\t'), text: shown.stdout });
    if ((i + 1) % 100 === 0) note(`history: read ${i + 1} / ${log.length} versions`);
  }
  return out;
}

function replayInWiki(versions: Version[], dir: string): { bytes: number; text: number; tables: string } {
  const file = join(dir, 'wiki.db');
  const db = openDatabase(file);
  migrate(db);
  const stores = createStores(db);
  const authors = new Map<string, ReturnType<typeof stores.actors.create>>();
  const title = parseTitle('Replayed history');
  let base: number | null = null;
  for (const [i, v] of versions.entries()) {
    let actor = authors.get(v.author);
    if (!actor) {
      actor = stores.actors.create(`Contributor ${authors.size + 1}`, 'user');
      authors.set(v.author, actor);
    }
    const saved = saveEdit(stores, { title, source: v.text, baseId: base, actor, comment: v.subject.slice(0, 200), timestamp: new Date(v.date).toISOString() });
    base = saved.revision.id;
    if ((i + 1) % 100 === 0) note(`history: saved ${i + 1} / ${versions.length} revisions`);
  }
  const pack = db.transaction(() => stores.content.packQueued(500));
  while (pack.immediate().queued > 0);
  const compress = db.transaction(() => stores.content.compressQueued(500));
  while (compress.immediate() > 0);
  db.exec('VACUUM');
  const text = db.prepare('SELECT sum(size) FROM revision').pluck().get() as number;
  const tables = (db.prepare('SELECT name, sum(pgsize) AS b FROM dbstat GROUP BY name ORDER BY b DESC LIMIT 6').all() as Array<{ name: string; b: number }>)
    .map((t) => `${t.name} ${(t.b / 1024).toFixed(0)} KiB`).join(', ');
  closeDatabase(db);
  return { bytes: statSync(file).size, text, tables };
}

function packInGit(versions: Version[], file: string, dir: string): number {
  const repo = join(dir, 'git');
  execFileSync('git', ['init', '-q', '--bare', repo]);
  // One fast-import stream: a commit per version, as the history was written.
  const parts: string[] = [];
  for (const [i, v] of versions.entries()) {
    const data = Buffer.from(v.text, 'utf8');
    const message = `version ${i + 1}`;
    parts.push(`commit refs/heads/main\ncommitter replay <replay@example.org> ${Math.floor(new Date(v.date).getTime() / 1000)} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`);
    parts.push(`M 100644 inline ${file}\ndata ${data.length}\n${v.text}\n`);
  }
  git(repo, ['fast-import', '--quiet'], parts.join(''));
  git(repo, ['gc', '--aggressive', '--prune=now', '--quiet']);
  const packs = join(repo, 'objects', 'pack');
  return readdirSync(packs).filter((f) => f.endsWith('.pack')).reduce((sum, f) => sum + statSync(join(packs, f)).size, 0);
}

function main(): void {
  const [repo, file] = process.argv.slice(2);
  if (!repo || !file) {
    console.error('usage: npm run bench:history -- REPO FILE   (a git repository and a file in it with a long history)');
    process.exit(2);
  }
  const versions = versionsOf(repo, file);
  if (versions.length < 2) {
    console.error(`${file} has ${versions.length} version(s) in ${repo}: give a file with a history`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-history-'));
  try {
    const started = Date.now();
    const wiki = replayInWiki(versions, dir);
    note(`history: ${versions.length} revisions, ${(wiki.text / 1024 / 1024).toFixed(1)} MiB of text, saved and packed in ${((Date.now() - started) / 1000).toFixed(1)} s; largest: ${wiki.tables}`);
    const pack = packInGit(versions, file, dir);
    figure('history_revisions', versions.length, 'count');
    figure('history_text_mib', wiki.text / 1024 / 1024, 'MiB');
    figure('history_db_bytes_per_text_byte', wiki.bytes / wiki.text, 'ratio');
    figure('history_git_pack_bytes_per_text_byte', pack / wiki.text, 'ratio');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
