/** diff_worst_ms (two unrelated 1 MiB revisions) and view_during_diff_p99_ms (views while such diffs run). */
import { parseTitle } from '../../server/wiki/title.js';
import { MAX_SOURCE_BYTES } from '../../server/wiki/edit.js';
import { hugeText } from './corpus.js';
import { apiPath } from './api.js';
import { Client, runLoad, type PathMix } from './http.js';
import { describeLoad, type LoadSettings } from './views.js';
import { figure, ms, note, percentile, sortedOf } from './report.js';
import type { Random } from './random.js';
import type { Phases } from './profile.js';

const REVISIONS = 4;

/** Save REVISIONS unrelated 1 MiB texts as successive revisions of one page; their ids. */
async function hugeRevisions(client: Client, token: string, rng: Random, words: readonly string[]): Promise<number[]> {
  const title = parseTitle('Bench worst case diff');
  const ids: number[] = [];
  for (let i = 0; i < REVISIONS; i++) {
    const json = { source: hugeText(rng, MAX_SOURCE_BYTES, words), comment: `unrelated 1 MiB text ${i + 1}`, ...(ids.length ? { latest: { id: ids.at(-1) } } : {}) };
    const r = await client.send('PUT', apiPath(title), { headers: { authorization: `Bearer ${token}` }, json });
    if (r.status !== 200 && r.status !== 201) throw new Error(`saving a 1 MiB revision answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    ids.push((JSON.parse(r.body.toString('utf8')) as { latest: { id: number } }).latest.id);
    note(`worst case: saved 1 MiB revision ${ids.at(-1)} in ${ms(r.ms)}`);
  }
  return ids;
}

async function compare(client: Client, from: number, to: number): Promise<{ start: number; end: number }> {
  const start = performance.now();
  const r = await client.get(`/api/v1/revision/${from}/compare/${to}`);
  if (r.status !== 200) throw new Error(`compare ${from}→${to} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  const end = performance.now();
  note(`worst case: compare ${from}→${to} took ${ms(end - start)} (${(r.body.length / 1024 / 1024).toFixed(1)} MiB of JSON)`);
  return { start, end };
}

/** Both figures. Every compared pair is new to the server, so no answer comes from its diff cache. */
export async function worstCase(
  base: string, token: string, rng: Random, words: readonly string[], mix: PathMix, s: LoadSettings, phases: Phases,
): Promise<void> {
  const client = new Client(base);
  const ids = await phases.time('1 MiB saves', () => hugeRevisions(client, token, rng, words));
  const alone: number[] = [];
  await phases.time('worst-case diffs', async () => {
    for (let i = 0; i + 1 < ids.length; i++) {
      const t = await compare(client, ids[i]!, ids[i + 1]!);
      alone.push(t.end - t.start);
    }
  });
  figure('diff_worst_ms', percentile(sortedOf(alone), 50), 'ms');

  // The same pairs the other way round: new cache keys, the same work.
  const windows: Array<{ start: number; end: number }> = [];
  const diffs = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (let i = ids.length - 1; i > 0; i--) windows.push(await compare(client, ids[i]!, ids[i - 1]!));
  })();
  const r = await phases.time('views during diffs', () => runLoad({
    base, connections: s.connections, seconds: 120, warmupSeconds: 0.5, mix, until: diffs, samples: true,
  }));
  await diffs;
  client.close();
  describeLoad('views during worst-case diffs', r);
  const during: number[] = [];
  const outside: number[] = [];
  for (const [start, end] of r.samples ?? []) (windows.some((w) => start < w.end && end > w.start) ? during : outside).push(end - start);
  const hit = sortedOf(during);
  note(`views overlapping a diff: ${hit.length}, p99 ${ms(percentile(hit, 99))}, max ${ms(percentile(hit, 100))}; ` +
    `other views: ${outside.length}, p99 ${ms(percentile(sortedOf(outside), 99))}`);
  figure('view_during_diff_p99_ms', percentile(hit, 99), 'ms');
}
