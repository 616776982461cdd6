/** The page-view figures: warm-up, views under load, 304 answers, and the bare Express and node:http baselines. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './children.js';
import { busyWarning } from './machine.js';
import { Client, runLoad, type LoadResult, type PathMix } from './http.js';
import { viewOnce } from './cold.js';
import { figure, ms, note, percentile } from './report.js';
import type { Random } from './random.js';

const BASELINE = fileURLToPath(new URL('./baseline.js', import.meta.url));
/** Warm-up stops after this long; larger wikis are viewed over the pages warmed by then. */
const WARM_BUDGET_MS = 60_000;

export interface LoadSettings {
  connections: number;
  seconds: number;
}

export interface Warmed {
  /** Paths of the pages viewed once (rendered and cached). */
  paths: string[];
  /** Path of a page whose view is of median size, for the baselines. */
  median: string;
}

/**
 * View pages once each (the first view renders and stores blame and HTML): `first` one at a time
 * (their first views ever, noted), then the rest of `paths` two at a time, until all are warm or
 * the budget is spent.
 */
export async function warmUp(base: string, first: readonly string[], paths: readonly string[]): Promise<Warmed> {
  const t0 = Date.now();
  const firstViews = await viewOnce(base, first, 'warm-up');
  note(`first views ever of the ${first.length} longest histories: p50 ${ms(percentile(firstViews, 50))}, p99 ${ms(percentile(firstViews, 99))}`);
  const client = new Client(base, 2);
  const chosen = new Set(first);
  const rest = paths.filter((p) => !chosen.has(p));
  const sizes: Array<[string, number]> = [];
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < rest.length && Date.now() - t0 < WARM_BUDGET_MS) {
      const path = rest[next++]!;
      const r = await client.hit(path);
      if (r.status === 200) sizes.push([path, r.bytes]);
      else if (failed++ < 5) note(`warm-up: ${path} answered ${r.status}`);
    }
  };
  await Promise.all([worker(), worker()]);
  client.close();
  if (sizes.length === 0) throw new Error('warm-up: no page view answered 200');
  note(`warm-up: ${sizes.length + firstViews.length} of ${rest.length + first.length} pages viewed in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
    `${failed ? `, ${failed} failed` : ''}`);
  const bySize = [...sizes].sort((a, b) => a[1] - b[1]);
  return { paths: [...first, ...sizes.map(([p]) => p)], median: bySize[Math.floor(bySize.length / 2)]![0] };
}

export function describeLoad(what: string, r: LoadResult): void {
  note(`${what}: ${r.requests} requests in ${r.seconds.toFixed(1)} s, ${Math.round(r.rps)}/s, p50 ${ms(percentile(r.latencies, 50))}, ` +
    `p99 ${ms(percentile(r.latencies, 99))}, ${(r.bytes / r.requests / 1024).toFixed(1)} KiB each, ${r.errors} errors, ` +
    `server CPU ${Math.round((r.serverCpu / Math.max(r.requests, 1)) * 1e6)} µs a request, load generator at ${Math.round(r.generatorCpu * 100)}% of a core`);
  const busy = busyWarning(what, r.otherCores);
  if (busy) note(busy);
  if (r.generatorCpu > 0.9) note(`warning: the load generator used ${Math.round(r.generatorCpu * 100)}% of a core during "${what}": it may be what limits that rate`);
  if (r.errors > r.requests * 0.01) throw new Error(`${what}: ${r.errors} of ${r.requests} requests failed`);
}

/** Random picks from `paths`, in an order drawn from `rng` (the same for every load that uses it). */
export function pathMix(rng: Random, paths: string[]): PathMix {
  return { paths, seed: rng.int(1, 2 ** 31 - 1) };
}

/** `view_rps` and `view_p99_ms`: anonymous views (no cookies, as a first visit or a crawler) of random warm pages. */
export async function viewLoad(base: string, mix: PathMix, s: LoadSettings): Promise<LoadResult> {
  const r = await runLoad({ base, connections: s.connections, seconds: s.seconds, warmupSeconds: 1, mix });
  describeLoad('views', r);
  figure('view_rps', r.rps, 'req/s');
  figure('view_p99_ms', percentile(r.latencies, 99), 'ms');
  return r;
}

/**
 * `view_304_ok`: a browser that sends back its cookie and the ETag gets 304. Also reported: whether
 * a client without cookies (a crawler, a cache) ever gets one.
 */
export async function check304(base: string, path: string): Promise<void> {
  const client = new Client(base);
  try {
    const first = await client.get(path);
    const etag = first.headers.etag;
    const cookie = (first.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const again = etag ? await client.get(path, { 'if-none-match': etag, ...(cookie ? { cookie } : {}) }) : undefined;
    figure('view_304_ok', again?.status === 304 ? 1 : 0, 'bool');
    if (again?.status !== 304) note(`304 check: ${path} with If-None-Match ${etag ?? '(no ETag sent)'} answered ${again?.status ?? '-'}`);
    const bare = etag ? await client.get(path, { 'if-none-match': etag }) : undefined;
    figure('view_304_cookieless_ok', bare?.status === 304 ? 1 : 0, 'bool');
    if (bare?.status !== 304) {
      note(`304 check: without cookies the same ETag answered ${bare?.status ?? '-'} (new ETag ${bare?.headers.etag ?? '-'}, ` +
        `Set-Cookie ${bare?.headers['set-cookie'] ? 'sent again' : 'none'}): a client without cookies never gets 304`);
    }
  } finally {
    client.close();
  }
}

/**
 * `view_vs_floor` and `view_vs_limit`: the same bytes from a bare Express app and a bare node:http
 * server, each run as `workers` node:cluster processes like the wiki.
 */
export async function baselines(base: string, path: string, tmp: string, viewRps: number, mix: PathMix, s: LoadSettings & { workers: number }): Promise<void> {
  const client = new Client(base);
  const body = await client.get(path);
  client.close();
  const file = join(tmp, 'page.html');
  writeFileSync(file, body.body);
  const processes = s.workers === 1 ? 'one process' : `${s.workers} node:cluster worker processes, as many as the wiki's`;
  note(`baselines serve ${path} as captured (${(body.body.length / 1024).toFixed(1)} KiB) from ${processes}`);
  for (const [kind, name] of [['express', 'view_vs_floor'], ['http', 'view_vs_limit']] as const) {
    const child = await startChild(`baseline ${kind}`, [BASELINE, kind, file, String(s.workers)], {});
    try {
      if (child.processes() !== s.workers && s.workers > 1) note(`warning: bare ${kind} runs ${child.processes()} workers, not ${s.workers}`);
      const r = await runLoad({ base: child.url, connections: s.connections, seconds: s.seconds, warmupSeconds: 1, mix });
      describeLoad(`bare ${kind}`, r);
      figure(name, viewRps / r.rps, 'ratio');
    } finally {
      await child.stop();
    }
  }
}
