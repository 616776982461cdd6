/** Stored line authorship per revision (derived data, keyed by revision id and algorithm version). */
import type { Db } from './connection.js';

export class BlameStore {
  private readonly select;
  private readonly insert;

  constructor(db: Db) {
    this.select = db.prepare<[number, number], { runs: string }>('SELECT runs FROM blame_cache WHERE revision_id = ? AND version = ?');
    this.insert = db.prepare('INSERT OR REPLACE INTO blame_cache (revision_id, version, runs) VALUES (?, ?, ?)');
  }

  /** The author revision of each line, or undefined when not computed yet. */
  get(revisionId: number, version: number): number[] | undefined {
    const row = this.select.get(revisionId, version);
    if (!row) return undefined;
    const runs = JSON.parse(row.runs) as number[];
    const lines: number[] = [];
    for (let i = 0; i < runs.length; i += 2) for (let n = 0; n < runs[i + 1]!; n++) lines.push(runs[i]!);
    return lines;
  }

  put(revisionId: number, version: number, lines: number[]): void {
    const runs: number[] = [];
    for (const id of lines) {
      if (runs.length && runs[runs.length - 2] === id) runs[runs.length - 1]! += 1;
      else runs.push(id, 1);
    }
    this.insert.run(revisionId, version, JSON.stringify(runs));
  }
}
