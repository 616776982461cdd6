/**
 * `view_cold_p50_ms` and `view_cold_p99_ms`: first views, after a restart of the server, of the pages
 * with the longest histories (the view path must not load a page's history, nor lose what it cached).
 */
import Database from 'better-sqlite3';
import { parseTitle, wikiPath } from '../../server/wiki/title.js';
import { Client } from './http.js';
import { figure, ms, note, percentile, sortedOf } from './report.js';

/** How many pages the cold sample views. */
export const COLD_SAMPLE = 100;

/** View paths of the `n` articles with the most revisions, most first (read from the database file, read-only). */
export function longestHistories(file: string, n = COLD_SAMPLE): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`
      SELECT p.title AS title, count(*) AS revisions FROM revision r JOIN page p ON p.id = r.page_id
      WHERE p.is_redirect = 0 GROUP BY r.page_id ORDER BY revisions DESC, p.id LIMIT ?`).all(n) as Array<{ title: string; revisions: number }>;
    if (rows.length > 0) note(`cold sample: the ${rows.length} longest histories have ${rows.at(-1)!.revisions} to ${rows[0]!.revisions} revisions`);
    return rows.map((r) => wikiPath(parseTitle(r.title)));
  } finally {
    db.close();
  }
}

/** View each path once, one at a time; the sorted times of the views that answered 200. */
export async function viewOnce(base: string, paths: readonly string[], what: string): Promise<Float64Array> {
  const client = new Client(base);
  const times: number[] = [];
  let failed = 0;
  try {
    for (const path of paths) {
      const t = performance.now();
      const r = await client.hit(path);
      if (r.status === 200) times.push(performance.now() - t);
      else if (failed++ < 5) note(`${what}: ${path} answered ${r.status}`);
    }
  } finally {
    client.close();
  }
  return sortedOf(times);
}

/** The figures, from a server that has just been restarted. */
export async function coldViews(base: string, paths: readonly string[]): Promise<void> {
  const cold = await viewOnce(base, paths, 'cold views');
  note(`cold views after the restart: ${cold.length} pages, p50 ${ms(percentile(cold, 50))}, p99 ${ms(percentile(cold, 99))}, max ${ms(percentile(cold, 100))}`);
  figure('view_cold_p50_ms', percentile(cold, 50), 'ms');
  figure('view_cold_p99_ms', percentile(cold, 99), 'ms');
  // What a restart costs is the difference from the same views once warm.
  const warm = await viewOnce(base, paths, 'warm views');
  note(`the same pages viewed again: p50 ${ms(percentile(warm, 50))}, p99 ${ms(percentile(warm, 99))}`);
}
