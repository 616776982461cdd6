/**
 * `npm run bench` (SPEC section 8): generate a wiki, start the built server on it as a child process
 * (WIKI_WORKERS processes), measure over loopback from a load generator process of its own, print
 * one `name value unit` line per figure on stdout (notes on stderr).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { wikiPath } from '../../server/wiki/title.js';
import { parseArgs, USAGE, UsageError, type BenchOptions, type Phase } from './args.js';
import { killAll, startChild, StartError, type Child } from './children.js';
import { loadAverage } from './machine.js';
import { generateWiki, type GeneratedWiki } from './generate.js';
import { Client } from './http.js';
import { generatedIn } from './reuse.js';
import { concurrentEditFigure, CONCURRENT_EDITORS, editFigure, login, readFigures } from './api.js';
import { baselines, check304, pathMix, viewLoad, warmUp } from './views.js';
import { coldViews, longestHistories } from './cold.js';
import { viaCache } from './varnish.js';
import { worstCase } from './worst.js';
import { hostilePhase } from './hostile.js';
import { Phases, summarize } from './profile.js';
import { figure, note } from './report.js';
import { Random } from './random.js';

const MAIN = fileURLToPath(new URL('../../server/main.js', import.meta.url));
const EDITED_PAGES = 20;

/** What every start of the server shares: the same database, workers, profile folder and secret. */
interface ServerSettings {
  file: string;
  workers: number;
  profileDir: string | undefined;
  jwtSecret: string;
}

async function startServer(s: ServerSettings): Promise<Child> {
  const args = s.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${s.profileDir}`, MAIN] : [MAIN];
  const server = await startChild('server', args, {
    PORT: '0',
    HOST: '127.0.0.1',
    WIKI_DB: s.file,
    WIKI_WORKERS: String(s.workers),
    WIKI_SEED: 'false',
    WIKI_SAVE_LIMIT: '0',
    WIKI_SIGNUP_LIMIT: '0',
    JWT_SECRET: s.jwtSecret,
  });
  note(`server ${server.url} (pid ${server.pid}, WIKI_WORKERS=${s.workers}) started`);
  return server;
}

/**
 * Warm every page up, then restart the server on the same database and view the pages with the
 * longest histories first: `view_cold_*`. Resolves to the restarted server and the warm pages.
 */
async function warmAndRestart(first: Child, s: ServerSettings, wiki: GeneratedWiki, rng: Random): Promise<{ server: Child; paths: string[]; median: string }> {
  const longest = longestHistories(s.file);
  const warmed = await warmUp(first.url, longest, shuffled(rng, wiki.titles).map((t) => wikiPath(t)));
  await first.stop();
  const server = await startServer(s);
  await coldViews(server.url, longest);
  return { server, ...warmed };
}

function shuffled<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * db_bytes_per_revision and db_bytes_per_text_byte: the generated history as the wiki keeps it at
 * rest (packed as it was written, no WAL), before the server touches it.
 */
function storageFigure(file: string): void {
  const { bytes, n, text } = storageOf(file);
  note(`storage: ${mib(bytes)} for ${n} revisions holding ${mib(text)} of text (the generated history, at rest)`);
  figure('db_bytes_per_revision', bytes / n, 'bytes');
  figure('db_bytes_per_text_byte', bytes / text, 'ratio');
}

/** After the run, what the live file and its WAL hold (not a figure: the WAL keeps its high-water mark, and texts saved last are not packed yet). */
function storageAfterRun(file: string, worstRan: boolean): void {
  const { bytes, n, text } = storageOf(file);
  note(`storage after the run: ${mib(bytes)} with the WAL for ${n} revisions holding ${mib(text)} of text${worstRan ? ' (the four 1 MiB worst-case revisions included)' : ''}: ${(bytes / text).toFixed(3)} bytes a text byte`);
}

function storageOf(file: string): { bytes: number; n: number; text: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const { n, text } = db.prepare('SELECT count(*) AS n, sum(size) AS text FROM revision').get() as { n: number; text: number };
  db.close();
  const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  return { bytes, n, text };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function measure(o: BenchOptions, wiki: GeneratedWiki, started: Child, s: ServerSettings, tmp: string, phases: Phases): Promise<Child> {
  const rng = new Random(o.seed + 1);
  const load = { connections: o.connections, seconds: o.seconds };
  const runs = (phase: Phase) => o.only === undefined || o.only === phase;
  const { server, paths, median } = await phases.time('warm-up and restart', () => warmAndRestart(started, s, wiki, rng));
  const next = pathMix(rng, paths);
  if (runs('views')) {
    const views = await phases.time('views', () => viewLoad(server.url, next, load));
    await check304(server.url, median);
    await baselines(server.url, median, tmp, views.rps, next, { ...load, workers: o.workers });
    await phases.time('views through varnish', () => viaCache(server.url, next, load, tmp));
  }

  const client = new Client(server.url);
  const pick = <T>(items: readonly T[]) => rng.pick(items);
  if (runs('api')) await readFigures(client, { titles: wiki.titles, adjacent: shuffled(rng, wiki.adjacent), pick });
  const token = await login(client, wiki.user);
  const corpus = { rng, words: wiki.words, titles: wiki.titles.map((t) => t.text), red: ['Bench missing page'] };
  const edited = shuffled(rng, wiki.articles).slice(0, EDITED_PAGES);
  if (runs('edits')) {
    await phases.time('edits', () => editFigure(client, token, edited, corpus, Math.min(5, o.seconds)));
    const apart = shuffled(rng, wiki.articles.filter((t) => !edited.includes(t))).slice(0, CONCURRENT_EDITORS);
    await phases.time('concurrent edits', () => concurrentEditFigure(server.url, token, apart, corpus, Math.min(5, o.seconds)));
  }
  client.close();
  note(`server memory before the worst-case phases: ${server.rssMb().toFixed(0)} MiB (the largest of its ${server.processes()} processes)`);
  if (server.memoryDetail()) note(`  that is ${server.memoryDetail()}`);
  if (runs('worst')) await worstCase(server.url, token, rng, wiki.words, next, load, phases);
  if (runs('hostile')) await hostilePhase(server.url, token, next, load, phases);
  return server;
}

/** Each phase's share of the server's CPU, per thread (the main thread, and the diff worker when busy). */
function profileSummary(dir: string, phases: Phases): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort() : [];
  if (files.length === 0) return note(`profile: no .cpuprofile was written in ${dir}`);
  for (const w of phases.list) {
    for (const file of files) {
      // node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
      const thread = /\.(\d+)\.\d+\.cpuprofile$/.exec(file)?.[1] === '0' ? 'main thread' : 'worker thread';
      const lines = summarize(join(dir, file), w.fromUs, w.toUs, thread === 'main thread' ? 20 : 8);
      if (thread !== 'main thread' && lines[0]!.startsWith('no busy samples')) continue;
      note(`profile of the server's ${thread} during "${w.phase}" (${join(dir, file)}):`);
      for (const line of lines) process.stderr.write(`  ${line}\n`);
    }
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'peerwiki-bench-'));
  process.on('exit', () => {
    killAll();
    if (o.keep) process.stderr.write(`bench: kept ${tmp}\n`);
    else rmSync(tmp, { recursive: true, force: true });
  });
  const file = join(tmp, 'wiki.db');
  note(`machine: ${availableParallelism()} cores, load average ${loadAverage().toFixed(2)} before starting`);
  note(`generating ${o.pages.toLocaleString('en')} pages and ${o.revisions.toLocaleString('en')} revisions into ${file}`);
  const generate = { file, pages: o.pages, revisions: o.revisions, seed: o.seed, log: note };
  const wiki = o.generated ? await generatedIn(o.generated, generate) : await generateWiki(generate);
  const profileDir = o.profile ? join(tmp, 'profile') : undefined;
  if (profileDir) mkdirSync(profileDir);
  const settings: ServerSettings = { file, workers: o.workers, profileDir, jwtSecret: randomBytes(48).toString('base64url') };
  const phases = new Phases();
  storageFigure(file);
  const server = await measure(o, wiki, await startServer(settings), settings, tmp, phases);
  storageAfterRun(file, o.only === undefined || o.only === 'worst');
  const workers = server.processes();
  if (workers !== o.workers) note(`warning: the server ran ${workers} process${workers === 1 ? '' : 'es'} with WIKI_WORKERS=${o.workers}`);
  figure('workers', workers, 'processes');
  if (server.memoryDetail()) note(`server memory after the run, the largest worker: ${server.memoryDetail()}`);
  figure('rss_mb', server.rssMb(), 'MiB');
  await server.stop();
  if (profileDir) profileSummary(profileDir, phases);
  note(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}: stopping the servers and removing temporary files\n`);
    process.exit(130);
  });
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`${e.message ? `bench: ${e.message}\n` : ''}${USAGE}\n`);
    process.exit(e.message ? 2 : 0);
  }
  if (e instanceof StartError) process.stderr.write(`bench: the server failed to start: ${e.message}\n`);
  else process.stderr.write(`bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
