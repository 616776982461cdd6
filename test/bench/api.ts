/** The sequential API figures: history, diff, search, recent changes, and saves by one logged-in client. */
import { Client, type Reply } from './http.js';
import { WireConnection, type FullAnswer } from './wire.js';
import { runningPids } from './children.js';
import { busyWarning, watchOthers } from './machine.js';
import { figure, ms, note, percentile, sortedOf } from './report.js';
import { editText, type Corpus } from './corpus.js';
import { SEARCH_WORDS } from './words.js';
import type { Title } from '../../server/wiki/title.js';

const SEQUENTIAL_SECONDS = 2.5;
const SEQUENTIAL_MAX = 400;

export function apiPath(title: Title, rest = ''): string {
  return `/api/v1/page/${encodeURIComponent(title.key)}${rest}`;
}

/** Run `request(i)` one after another for a while; the sorted latencies. @throws on any non-200 answer. */
async function sequential(what: string, request: (i: number) => Promise<Reply>, max = SEQUENTIAL_MAX): Promise<Float64Array> {
  const times: number[] = [];
  const others = watchOthers(runningPids);
  const end = performance.now() + SEQUENTIAL_SECONDS * 1000;
  for (let i = 0; i < max && (i < 5 || performance.now() < end); i++) {
    const r = await request(i);
    if (r.status !== 200) throw new Error(`${what}: answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    times.push(r.ms);
  }
  const sorted = sortedOf(times);
  note(`${what}: ${sorted.length} requests, p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}`);
  const busy = busyWarning(what, others());
  if (busy) note(busy);
  return sorted;
}

export interface ReadTargets {
  titles: Title[];
  adjacent: Array<[number, number]>;
  pick: <T>(items: readonly T[]) => T;
}

/** history_p50_ms, diff_p50_ms, search_p50_ms and recent_changes_p50_ms. */
export async function readFigures(client: Client, t: ReadTargets): Promise<void> {
  const history = await sequential('history', () => client.get(apiPath(t.pick(t.titles), '/history')));
  figure('history_p50_ms', percentile(history, 50), 'ms');
  // Each pair once: compared pairs are cached, and a cache hit is not what this figure is about.
  const pairs = t.adjacent;
  const diff = await sequential('diff', (i) => client.get(`/api/v1/revision/${pairs[i]![0]}/compare/${pairs[i]![1]}`), pairs.length);
  figure('diff_p50_ms', percentile(diff, 50), 'ms');

  let searchPath = (q: string) => `/api/v1/search/page?q=${encodeURIComponent(q)}`;
  const probe = await client.get(searchPath('network'));
  if (probe.status === 404) {
    note('search: GET /api/v1/search/page answered 404 (not built yet); measuring GET /special/search?q=...&fulltext=1 instead');
    searchPath = (q) => `/special/search?q=${encodeURIComponent(q)}&fulltext=1`;
  } else {
    note(`search: "network" found ${listLength(probe, 'pages')} pages`);
  }
  const search = await sequential('search', (i) => client.get(searchPath(SEARCH_WORDS[i % SEARCH_WORDS.length]!)));
  figure('search_p50_ms', percentile(search, 50), 'ms');

  let recent = () => client.get('/api/v1/recent-changes');
  const first = await recent();
  if (first.status === 404) {
    note('recent changes: GET /api/v1/recent-changes answered 404 (not built yet); measuring GET /api/v1/page/{T}/history instead');
    recent = () => client.get(apiPath(t.pick(t.titles), '/history'));
  } else {
    note(`recent changes: ${listLength(first, 'changes')} changes a request`);
  }
  const changes = await sequential('recent changes', () => recent());
  figure('recent_changes_p50_ms', percentile(changes, 50), 'ms');
}

/** How many items the JSON list `key` of an answer has ('?' when it is not such an answer). */
function listLength(r: Reply, key: string): string {
  try {
    const list = (JSON.parse(r.body.toString('utf8')) as Record<string, unknown>)[key];
    return Array.isArray(list) ? String(list.length) : '?';
  } catch {
    return '?';
  }
}

/** POST /api/v1/auth/login → the Bearer token. @throws when the login fails. */
export async function login(client: Client, user: { name: string; password: string }): Promise<string> {
  const r = await client.send('POST', '/api/v1/auth/login', { json: { username: user.name, password: user.password } });
  if (r.status !== 200) throw new Error(`login as ${user.name} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  return (JSON.parse(r.body.toString('utf8')) as { token: string }).token;
}

interface Editing {
  title: Title;
  latest: number;
  source: string;
}

/** What a save through the lean connection sends: the page's next text, made before it is sent. */
interface Edit {
  page: Editing;
  source: string;
  /** The body up to the base revision's id, which the answer to the save before may still change. */
  bodyHead: Buffer;
}

function editOf(page: Editing, source: string): Edit {
  return { page, source, bodyHead: Buffer.from(`{"source":${JSON.stringify(source)},"comment":"bench edit","latest":{"id":`) };
}

/** The PUT of `edit`, naming the page's latest revision as its base. */
function saveEdit(connection: WireConnection, token: string, edit: Edit): Promise<FullAnswer> {
  const body = Buffer.concat([edit.bodyHead, Buffer.from(`${edit.page.latest}}}`)]);
  return connection.send('PUT', apiPath(edit.page.title), { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body);
}

const LATEST_ID = Buffer.from('"latest":{"id":');

/**
 * The revision a 200 answer to a save names as the page's latest, read without parsing the whole
 * answer (a text's worth of JSON a save, on the client's side of every round trip). Quotes inside
 * JSON strings are escaped, so `"latest":{"id":` can only be a key; whatever else comes, JSON.parse.
 */
function savedRevision(r: FullAnswer): number {
  const at = r.body.indexOf(LATEST_ID);
  const id = at < 0 ? NaN : parseInt(r.body.toString('latin1', at + LATEST_ID.length, at + LATEST_ID.length + 20), 10);
  return Number.isSafeInteger(id) ? id : (JSON.parse(r.body.toString('utf8')) as { latest: { id: number } }).latest.id;
}

async function readEditing(client: Client, token: string, title: Title): Promise<Editing> {
  const r = await client.get(apiPath(title), { authorization: `Bearer ${token}` });
  if (r.status !== 200) throw new Error(`GET ${apiPath(title)} answered ${r.status}`);
  const page = JSON.parse(r.body.toString('utf8')) as { latest: { id: number }; source: string };
  return { title, latest: page.latest.id, source: page.source };
}

/**
 * edit_per_s: small edits of a few pages through PUT /api/v1/page/{T}, each naming its base, one
 * at a time. The client is lean (wire.ts) and makes each next edit's text while the save before it
 * is in flight, so that the figure is the server's rate rather than the client's.
 */
export async function editFigure(client: Client, token: string, titles: Title[], corpus: Corpus, seconds: number): Promise<number> {
  const pages: Editing[] = [];
  for (const title of titles) pages.push(await readEditing(client, token, title));
  const url = new URL(client.base);
  const connection = new WireConnection(url.hostname, Number(url.port));
  const next = (i: number): Edit => {
    const page = pages[i % pages.length]!;
    return editOf(page, editText(corpus, page.source));
  };
  const times: number[] = [];
  const others = watchOthers(runningPids);
  const t0 = performance.now();
  let edit = next(0);
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
    const sent = saveEdit(connection, token, edit);
    // The next page is another one (pages.length > 1), so its text does not wait for this answer.
    const following = pages.length > 1 ? next(i + 1) : undefined;
    const r = await sent;
    if (r.status !== 200) throw new Error(`save of ${edit.page.title.text} answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
    edit.page.latest = savedRevision(r);
    edit.page.source = edit.source;
    times.push(r.ms);
    edit = following ?? next(i + 1);
  }
  const elapsed = (performance.now() - t0) / 1000;
  connection.close();
  const sorted = sortedOf(times);
  note(`edits: ${times.length} saves in ${elapsed.toFixed(1)} s, p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}`);
  const busy = busyWarning('edits', others());
  if (busy) note(busy);
  figure('edit_per_s', times.length / elapsed, 'saves/s');
  return times.length;
}

/**
 * edit_concurrent_per_s: CONCURRENT_EDITORS clients, each on a page of its own and its own
 * connection, saving as fast as answers come, spread over every worker. Afterwards each page must
 * hold exactly the saves answered 200, ending in the last text sent: anything else is a lost update.
 */
export const CONCURRENT_EDITORS = 16;

export async function concurrentEditFigure(base: string, token: string, titles: Title[], corpus: Corpus, seconds: number): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const reader = new Client(base);
  const url = new URL(base);
  const editors = await Promise.all(
    titles.slice(0, CONCURRENT_EDITORS).map(async (title) => {
      const page = await readEditing(reader, token, title);
      return { connection: new WireConnection(url.hostname, Number(url.port)), page, first: page.latest, saved: 0, failed: 0 };
    }),
  );
  const others = watchOthers(runningPids);
  const t0 = performance.now();
  let serverErrors = 0;
  await Promise.all(
    editors.map(async (e) => {
      while (performance.now() - t0 < seconds * 1000) {
        const edit = editOf(e.page, editText(corpus, e.page.source));
        const r = await saveEdit(e.connection, token, edit);
        if (r.status >= 500) serverErrors += 1;
        if (r.status !== 200) {
          e.failed += 1;
          continue;
        }
        e.page.latest = savedRevision(r);
        e.page.source = edit.source;
        e.saved += 1;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const saves = editors.reduce((n, e) => n + e.saved, 0);
  let lost = 0;
  for (const e of editors) {
    e.connection.close();
    const page = await reader.get(apiPath(e.page.title), auth);
    const now = JSON.parse(page.body.toString('utf8')) as { latest: { id: number }; source: string };
    let since = 0;
    for (let path: string | undefined = `${apiPath(e.page.title, '/history')}?limit=100`; path; ) {
      const h = JSON.parse((await reader.get(path, auth)).body.toString('utf8')) as { revisions: { id: number }[]; older?: string };
      const newer = h.revisions.filter((r) => r.id > e.first);
      since += newer.length;
      path = newer.length === h.revisions.length && h.older ? new URL(h.older, base).pathname + new URL(h.older, base).search : undefined;
    }
    if (now.source !== e.page.source || now.latest.id !== e.page.latest) lost += 1;
    lost += Math.abs(since - e.saved);
  }
  reader.close();
  note(`concurrent edits: ${saves} saves by ${editors.length} clients in ${elapsed.toFixed(1)} s; ${editors.reduce((n, e) => n + e.failed, 0)} refused, ${serverErrors} 5xx, ${lost} lost`);
  const busy = busyWarning('concurrent edits', others());
  if (busy) note(busy);
  figure('edit_concurrent_per_s', saves / elapsed, 'saves/s');
  figure('edit_concurrent_lost', lost, 'count');
  figure('edit_concurrent_5xx', serverErrors, 'count');
}
