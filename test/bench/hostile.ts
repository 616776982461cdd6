/**
 * The hostile phase: every family of hostileInputs.ts at the 1 MiB limit, sent where it hurts
 * (render, save and a later edit, merge, undo, diff, blame, first view) while page views run;
 * prints `hostile_worst_ms` (the slowest such request) and `hostile_view_wait_ms` (the slowest page
 * view that overlapped one), plus `hostile_5xx` (answers that were server errors: must be 0).
 */
import { parseTitle, wikiPath, type Title } from '../../server/wiki/title.js';
import { MAX_SOURCE_BYTES } from '../../server/wiki/edit.js';
import { HOSTILE_FAMILIES, type HostileFamily } from './hostileInputs.js';
import { apiPath } from './api.js';
import { Client, runLoad, type PathMix, type Reply } from './http.js';
import { describeLoad, type LoadSettings } from './views.js';
import { figure, ms, note, percentile, sortedOf } from './report.js';
import type { Phases } from './profile.js';

interface Timed {
  what: string;
  status: number;
  start: number;
  end: number;
}

/** Sends the hostile requests one at a time and keeps each one's window and status. */
class Attacker {
  readonly done: Timed[] = [];
  private readonly client: Client;

  constructor(base: string, private readonly token: string) {
    this.client = new Client(base);
  }

  async send(what: string, method: string, path: string, json?: unknown, auth = true): Promise<Reply> {
    const start = performance.now();
    const headers = auth ? { authorization: `Bearer ${this.token}` } : {};
    const r = await this.client.send(method, path, { headers, json });
    const end = performance.now();
    this.done.push({ what, status: r.status, start, end });
    if (r.status >= 500) note(`hostile: ${what} answered ${r.status}: ${r.body.toString('utf8').slice(0, 200)}`);
    return r;
  }

  close(): void {
    this.client.close();
  }
}

function latestId(r: Reply): number | undefined {
  if (r.status !== 200 && r.status !== 201) return undefined;
  return (JSON.parse(r.body.toString('utf8')) as { latest?: { id: number } }).latest?.id;
}

/** The same text with its first 16 characters changed (a change near the start). */
function changedStart(text: string): string {
  return 'CHANGED AT START' + text.slice(16);
}

/** The same text with its last 16 characters changed (a change near the end, apart from the other). */
function changedEnd(text: string): string {
  return text.slice(0, -16) + 'CHANGED AT END\n\n';
}

/** Save, then edit again (a later edit pays for the page's text again), then view it once. */
async function saveFamily(a: Attacker, f: HostileFamily, title: Title, text: string): Promise<void> {
  const created = await a.send(`${f.name}: save`, 'PUT', apiPath(title), { source: text, comment: 'hostile' });
  const id = latestId(created);
  if (id === undefined) return;
  await a.send(`${f.name}: edit again`, 'PUT', apiPath(title), { source: changedEnd(text), comment: 'again', latest: { id } });
  await a.send(`${f.name}: first view`, 'GET', wikiPath(title), undefined, false);
}

/** Two edits from one base: the second merges three ways; then undo the first, compare and blame. */
async function historyFamily(a: Attacker, f: HostileFamily, title: Title, text: string): Promise<void> {
  const base = latestId(await a.send(`${f.name}: history base`, 'PUT', apiPath(title), { source: text, comment: 'base' }));
  if (base === undefined) return;
  const first = latestId(await a.send(`${f.name}: edit`, 'PUT', apiPath(title), { source: changedStart(text), comment: 'one', latest: { id: base } }));
  const merged = await a.send(`${f.name}: merge`, 'PUT', apiPath(title), { source: changedEnd(text), comment: 'two', latest: { id: base } });
  const last = latestId(merged) ?? first;
  if (first !== undefined) await a.send(`${f.name}: undo`, 'POST', apiPath(title, '/undo'), { revision: first, comment: 'undo' });
  if (last !== undefined) await a.send(`${f.name}: diff`, 'GET', `/api/v1/revision/${base}/compare/${last}`, undefined, false);
  await a.send(`${f.name}: blame`, 'GET', apiPath(title, '/blame'), undefined, false);
}

async function attack(a: Attacker, texts: readonly string[]): Promise<void> {
  for (const [i, f] of HOSTILE_FAMILIES.entries()) {
    const text = texts[i]!;
    if (f.targets.includes('render')) await a.send(`${f.name}: render`, 'POST', '/api/v1/transform/markdown/to/html', { source: text }, false);
    if (f.targets.includes('save')) await saveFamily(a, f, parseTitle(`Bench hostile ${i} save`), text);
    if (f.targets.includes('history')) await historyFamily(a, f, parseTitle(`Bench hostile ${i} history`), text);
  }
}

/** Seconds of the same page views with nothing else running, to tell the attack's waits from the machine's. */
const QUIET_SECONDS = 30;

/** The phase and its figures. */
export async function hostilePhase(base: string, token: string, mix: PathMix, s: LoadSettings, phases: Phases): Promise<void> {
  // The same views first with no attack: on two shared cores, the slowest of 100,000 page views
  // waits on the scheduler and the collector too, and this says how long that is by itself.
  const quiet = (await runLoad({ base, connections: Math.min(8, s.connections), seconds: QUIET_SECONDS, mix })).latencies;
  note(`hostile: with no attack, ${quiet.length} page views waited at most ${ms(percentile(quiet, 100))} (p99.9 ${ms(percentile(quiet, 99.9))})`);
  figure('quiet_view_wait_ms', percentile(quiet, 100), 'ms');
  // Made before the attack starts: building a 1 MiB text here would delay the attacker's requests.
  const texts = HOSTILE_FAMILIES.map((f) => f.make(MAX_SOURCE_BYTES));
  const a = new Attacker(base, token);
  // The attack starts once the load generator's views are under way.
  let viewing = () => {};
  const attacking = new Promise<void>((resolve) => (viewing = resolve)).then(() => phases.time('hostile inputs', () => attack(a, texts)));
  const views = await runLoad({ base, connections: Math.min(8, s.connections), seconds: 600, mix, until: attacking, samples: true, onMeasuring: () => viewing() });
  const samples = views.samples ?? [];
  await attacking;
  a.close();
  describeLoad('views during hostile inputs', views);
  const slowest = [...a.done].sort((x, y) => (y.end - y.start) - (x.end - x.start));
  // Every request over the 100 ms a reader may wait, slowest first: the list to work through.
  for (const t of slowest.filter((x, i) => i < 8 || x.end - x.start >= 100)) note(`hostile: ${t.what} took ${ms(t.end - t.start)} (${t.status})`);
  const waits = samples.filter(([start, end]) => a.done.some((t) => start < t.end && end > t.start)).map(([start, end]) => end - start);
  // Which requests made readers wait: the slowest page view that overlapped each, worst first.
  // A loop, not Math.max(...spread): millions of samples would overflow the stack.
  const stalls = a.done.map((t) => {
    let wait = 0;
    for (const [s0, e0] of samples) if (s0 < t.end && e0 > t.start && e0 - s0 > wait) wait = e0 - s0;
    return { t, wait };
  });
  stalls.sort((x, y) => y.wait - x.wait);
  for (const { t, wait } of stalls.filter((x, i) => i < 5 || x.wait >= 100)) note(`hostile: during ${t.what}, a page view waited ${ms(wait)}`);
  note(`hostile: ${a.done.length} requests; ${waits.length} page views overlapped one, p99 ${ms(percentile(sortedOf(waits), 99))}, p99.9 ${ms(percentile(sortedOf(waits), 99.9))}`);
  figure('hostile_worst_ms', slowest.length ? slowest[0]!.end - slowest[0]!.start : NaN, 'ms');
  figure('hostile_view_wait_ms', percentile(sortedOf(waits), 100), 'ms');
  figure('hostile_5xx', a.done.filter((t) => t.status >= 500).length, 'count');
}
