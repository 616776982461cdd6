/**
 * `--generated DIR`: a generated wiki kept for reruns. Generating 100,000 pages and 1,000,000
 * revisions takes a quarter of an hour; a rerun copies the pristine database and reads back what
 * the generator returned (wiki.json) instead.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTitle } from '../../server/wiki/title.js';
import { runCli } from '../../server/cli/run.js';
import { generateWiki, type GenerateOptions, type GeneratedWiki } from './generate.js';

interface Stored {
  pages: number;
  revisions: number;
  seed: number;
  titles: string[];
  articles: string[];
  adjacent: Array<[number, number]>;
  user: { name: string; password: string };
  words: string[];
}

/**
 * Put the wiki generated with `o`'s sizes and seed at `o.file`: copied from `dir` when it holds one
 * made with the same options, otherwise generated into `dir` first and then copied.
 * @throws Error when `dir` holds a wiki generated with other options.
 */
export async function generatedIn(dir: string, o: GenerateOptions): Promise<GeneratedWiki> {
  const db = join(dir, 'wiki.db');
  const facts = join(dir, 'wiki.json');
  if (!existsSync(facts)) {
    mkdirSync(dir, { recursive: true });
    o.log(`generating into ${dir} (kept for reruns with --generated)`);
    const wiki = await generateWiki({ ...o, file: db });
    const stored: Stored = {
      pages: o.pages, revisions: o.revisions, seed: o.seed,
      titles: wiki.titles.map((t) => t.text), articles: wiki.articles.map((t) => t.text),
      adjacent: wiki.adjacent, user: wiki.user, words: [...wiki.words],
    };
    writeFileSync(facts, JSON.stringify(stored));
  }
  const s = JSON.parse(readFileSync(facts, 'utf8')) as Stored;
  if (s.pages !== o.pages || s.revisions !== o.revisions || s.seed !== o.seed) {
    throw new Error(`${dir} holds a wiki of ${s.pages} pages, ${s.revisions} revisions, seed ${s.seed}: give the same options or another folder`);
  }
  await upToDate(db, o.log);
  o.log(`copying the generated wiki from ${dir}`);
  copyFileSync(db, o.file);
  return {
    titles: s.titles.map((t) => parseTitle(t)), articles: s.articles.map((t) => parseTitle(t)),
    adjacent: s.adjacent, user: s.user, words: s.words, revisions: s.revisions,
  };
}

/**
 * A kept wiki generated before the newest migrations is brought up to date in place, once, by the
 * wiki's own `migrate` (which also packs its history): a server would otherwise do that work in the
 * background while it is being measured.
 */
async function upToDate(file: string, log: (message: string) => void): Promise<void> {
  const code = await runCli(['migrate'], {
    env: { WIKI_DB: file }, out: (l) => log(`migrate: ${l}`), err: (l) => log(`migrate: ${l}`), readStdin: async () => '', isTty: false,
  });
  if (code !== 0) throw new Error(`migrating the kept wiki ${file} failed (exit ${code})`);
}
