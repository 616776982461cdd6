/**
 * `view_via_cache_rps` and `view_via_cache_hit_ratio`: the same anonymous page views through varnishd
 * configured by the wiki's own VCL (SPEC section 9), when varnishd is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { SESSION_COOKIE } from '../../server/http/middleware/session.js';
import { CSRF_COOKIE } from '../../server/http/middleware/csrf.js';
import { varnishVcl } from '../../server/cache/vcl.js';
import { spawnTracked, stopTracked } from './children.js';
import { Client, runLoad, type LoadResult, type PathMix } from './http.js';
import { describeLoad, type LoadSettings } from './views.js';
import { figure, note } from './report.js';

const START_TIMEOUT_MS = 30_000;

/** Where a program is: the usual sbin folders (not always on PATH), then PATH. */
function which(name: string): string | undefined {
  const dirs = ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(delimiter), '/usr/bin'];
  return dirs.map((d) => join(d, name)).find((f) => existsSync(f));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The counters of `varnishstat -1 -j` that say who answered (7.x nests them under "counters"; 6.x does not). */
interface Counters {
  hit: number;
  miss: number;
  pass: number;
}

async function counters(varnishstat: string, dir: string): Promise<Counters> {
  const { stdout } = await promisify(execFile)(varnishstat, ['-n', dir, '-1', '-j'], { maxBuffer: 16 * 1024 * 1024 });
  const json = JSON.parse(stdout) as { counters?: Record<string, { value: number }> } & Record<string, { value: number }>;
  const c = json.counters ?? json;
  const value = (name: string) => c[name]?.value ?? 0;
  return { hit: value('MAIN.cache_hit'), miss: value('MAIN.cache_miss'), pass: value('MAIN.s_pass') };
}

/**
 * The share of the measured views Varnish answered from its store: counted from each answer's
 * X-Cache (or X-Varnish) when it has one (exact), else from varnishstat's counters (which worker
 * threads publish in batches, so the window's edges blur).
 */
async function hitRatio(r: LoadResult, before: Promise<Counters>, now: () => Promise<Counters>): Promise<number> {
  // Give the workers a moment to publish their counts.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const [b, a] = [await before, await now()];
  const [hit, miss, pass] = [a.hit - b.hit, a.miss - b.miss, a.pass - b.pass];
  const told = r.cacheTold === r.requests && r.requests > 0;
  note(`varnish during the measured views: ${told ? `${r.cacheHits} of ${r.requests} answers were hits by their X-Cache or X-Varnish; ` : 'answers carry no X-Cache or X-Varnish; '}` +
    `varnishstat counted about ${hit} hits, ${miss} misses, ${pass} passes`);
  return told ? r.cacheHits / r.requests : hit / Math.max(1, hit + miss + pass);
}

interface Varnish {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** Start varnishd in the foreground and wait until it accepts connections. @throws with its output when it exits first. */
async function startVarnish(varnishd: string, vclFile: string, dir: string, storageMb: number): Promise<Varnish> {
  const port = await freePort();
  // -j none: as root the default jail drops to the varnish user, which cannot read our private temporary folder.
  const args = ['-F', '-j', 'none', '-n', dir, '-a', `127.0.0.1:${port}`, '-f', vclFile, '-s', `malloc,${storageMb}m`];
  const { child, exited } = spawnTracked(varnishd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (s: string) => (log = (log + s).slice(-8_000)));
  let gone = false;
  void exited.then(() => (gone = true));
  child.once('error', (e) => {
    gone = true;
    log += String(e);
  });
  for (const t0 = Date.now(); !(await accepts(port)); await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (gone || Date.now() - t0 > START_TIMEOUT_MS) {
      await stopTracked(child, exited);
      throw new Error(`varnishd ${gone ? 'exited' : 'did not listen'}: ${log.trim() || '(no output)'}`);
    }
  }
  return { port, dir, stop: () => stopTracked(child, exited) };
}

/** Storage for every measured page (about 14 KiB each, with room), and never less than Varnish's usual 256 MiB. */
function storageMb(pages: number): number {
  return Math.max(256, Math.ceil((pages * 24) / 1024));
}

/** Time spent at most filling the cache before measuring. */
const FILL_BUDGET_MS = 120_000;

/**
 * View every measured page once through Varnish first: a cache in front of a wiki is warm, and
 * the hit ratio is a figure of that steady state, not of the first seconds after varnishd starts.
 */
async function fill(base: string, paths: string[]): Promise<void> {
  const client = new Client(base, 8);
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < paths.length && Date.now() - t0 < FILL_BUDGET_MS) await client.hit(paths[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    client.close();
  }
  note(`varnish: ${Math.min(next, paths.length)} of ${paths.length} measured pages viewed once through it in ${((Date.now() - t0) / 1000).toFixed(1)} s before measuring`);
}

/** The phase: start varnishd in front of the wiki at `base`, fill it, run the view load through it, stop it. */
export async function viaCache(base: string, mix: PathMix, s: LoadSettings, tmp: string): Promise<void> {
  const varnishd = which('varnishd');
  const varnishstat = which('varnishstat');
  if (!varnishd || !varnishstat) {
    note('varnishd is not installed, so no view_via_cache_* figures: install Varnish (Debian and Ubuntu: apt-get install varnish) and run again');
    return;
  }
  // What `npm run wiki -- cache-config varnish` prints for a wiki at `base`.
  const wiki = new URL(base);
  const vcl = varnishVcl({ backendHost: wiki.hostname, backendPort: Number(wiki.port), sessionCookie: SESSION_COOKIE, csrfCookie: CSRF_COOKIE, publicHost: wiki.host });
  const vclFile = join(tmp, 'wiki.vcl');
  const dir = join(tmp, 'varnish');
  writeFileSync(vclFile, vcl);
  mkdirSync(dir, { recursive: true });
  let varnish: Varnish;
  try {
    varnish = await startVarnish(varnishd, vclFile, dir, storageMb(mix.paths.length));
  } catch (e) {
    note(`warning: no view_via_cache_* figures: ${(e as Error).message} (the VCL is ${vclFile}; --keep keeps it)`);
    return;
  }
  try {
    note(`varnishd on 127.0.0.1:${varnish.port} in front of ${base}, with the wiki's VCL and ${storageMb(mix.paths.length)} MiB of storage`);
    await fill(`http://127.0.0.1:${varnish.port}`, mix.paths);
    let before: Promise<Counters> | undefined;
    const r = await runLoad({
      base: `http://127.0.0.1:${varnish.port}`, connections: s.connections, seconds: s.seconds, warmupSeconds: 1, mix,
      onMeasuring: () => (before = counters(varnishstat, dir)),
    });
    describeLoad('views through varnish', r);
    figure('view_via_cache_rps', r.rps, 'req/s');
    figure('view_via_cache_hit_ratio', await hitRatio(r, before!, () => counters(varnishstat, dir)), 'ratio');
  } finally {
    await varnish.stop();
  }
}
