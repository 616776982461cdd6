/** The page-view figures: warm-up, views under load, 304 answers, and the bare Express and node:http baselines. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './children.js';
import { busyWarning } from './machine.js';
import { Client, runLoad, type LoadResult } from './http.js';
import { figure, ms, note, percentile, sortedOf } from './report.js';
import type { Random } from './random.js';

const BASELINE = fileURLToPath(new URL('./baseline.js', import.meta.url));
/** Warm-up stops after this long; larger wikis are viewed over the pages warmed by then. */
const WARM_BUDGET_MS = 60_000;
const COLD_SAMPLE = 100;

export interface LoadSettings {
  connections: number;
  seconds: number;
}

export interface Warmed {
  /** Paths of the pages viewed once (rendered and cached), in random order. */
  paths: string[];
  /** Path of a page whose view is of median size, for the baselines. */
  median: string;
}

/**
 * View pages once each (the first view renders and stores blame and HTML): the first 100 one at a
 * time, for `view_cold_p50_ms`, the rest two at a time, until all are warm or the budget is spent.
 */
export async function warmUp(base: string, paths: string[]): Promise<Warmed> {
  const client = new Client(base, 2);
  const sizes: Array<[string, number]> = [];
  const cold: number[] = [];
  const t0 = Date.now();
  let next = 0;
  let failed = 0;
  const view = async (record: boolean) => {
    const path = paths[next++]!;
    const t = performance.now();
    const r = await client.hit(path);
    if (record) cold.push(performance.now() - t);
    if (r.status === 200) sizes.push([path, r.bytes]);
    else if (failed++ < 5) note(`warm-up: ${path} answered ${r.status}`);
  };
  while (next < Math.min(COLD_SAMPLE, paths.length)) await view(true);
  const worker = async () => {
    while (next < paths.length && Date.now() - t0 < WARM_BUDGET_MS) await view(false);
  };
  await Promise.all([worker(), worker()]);
  client.close();
  if (sizes.length === 0) throw new Error('warm-up: no page view answered 200');
  figure('view_cold_p50_ms', percentile(sortedOf(cold), 50), 'ms');
  note(`warm-up: ${sizes.length} of ${paths.length} pages viewed in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
    `${failed ? `, ${failed} failed` : ''}; first views: p50 ${ms(percentile(sortedOf(cold), 50))}, p99 ${ms(percentile(sortedOf(cold), 99))}`);
  const bySize = [...sizes].sort((a, b) => a[1] - b[1]);
  return { paths: sizes.map(([p]) => p), median: bySize[Math.floor(bySize.length / 2)]![0] };
}

export function describeLoad(what: string, r: LoadResult): void {
  note(`${what}: ${r.requests} requests in ${r.seconds.toFixed(1)} s, ${Math.round(r.rps)}/s, p50 ${ms(percentile(r.latencies, 50))}, ` +
    `p99 ${ms(percentile(r.latencies, 99))}, ${(r.bytes / r.requests / 1024).toFixed(1)} KiB each, ${r.errors} errors, ` +
    `load generator at ${Math.round(r.generatorCpu * 100)}% of a core`);
  const busy = busyWarning(what, r.otherCores);
  if (busy) note(busy);
  if (r.generatorCpu > 0.9) note(`warning: the load generator used ${Math.round(r.generatorCpu * 100)}% of a core during "${what}": it may be what limits that rate`);
  if (r.errors > r.requests * 0.01) throw new Error(`${what}: ${r.errors} of ${r.requests} requests failed`);
}

export function randomPaths(rng: Random, paths: string[]): () => string {
  return () => paths[Math.floor(rng.next() * paths.length)]!;
}

/** `view_rps` and `view_p99_ms`: anonymous views (no cookies, as a first visit or a crawler) of random warm pages. */
export async function viewLoad(base: string, next: () => string, s: LoadSettings): Promise<LoadResult> {
  const r = await runLoad({ base, connections: s.connections, seconds: s.seconds, warmupSeconds: 1, path: next });
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

/** `view_vs_floor` and `view_vs_limit`: the same bytes from a bare Express app and a bare node:http server. */
export async function baselines(base: string, path: string, tmp: string, viewRps: number, next: () => string, s: LoadSettings): Promise<void> {
  const client = new Client(base);
  const body = await client.get(path);
  client.close();
  const file = join(tmp, 'page.html');
  writeFileSync(file, body.body);
  note(`baselines serve ${path} as captured (${(body.body.length / 1024).toFixed(1)} KiB)`);
  for (const [kind, name] of [['express', 'view_vs_floor'], ['http', 'view_vs_limit']] as const) {
    const child = await startChild(`baseline ${kind}`, [BASELINE, kind, file], {});
    try {
      const r = await runLoad({ base: child.url, connections: s.connections, seconds: s.seconds, warmupSeconds: 1, path: next });
      describeLoad(`bare ${kind}`, r);
      figure(name, viewRps / r.rps, 'ratio');
    } finally {
      await child.stop();
    }
  }
}
