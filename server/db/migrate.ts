/** Applies migrations/NNNN_name.sql in order, each once and in its own transaction. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './connection.js';
import { MIGRATIONS_DIR } from '../paths.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations in a folder, ordered by number. @throws on a badly named file or a repeated number. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const found = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => {
      const m = FILE.exec(f);
      if (!m) throw new Error(`migration file "${f}" must be named NNNN_name.sql`);
      return { id: Number(m[1]), name: m[2]!, sql: readFileSync(join(dir, f), 'utf8') };
    })
    .sort((a, b) => a.id - b.id);
  found.forEach((m, i) => {
    if (i > 0 && found[i - 1]!.id === m.id) throw new Error(`two migrations are numbered ${m.id}`);
  });
  return found;
}

/** Apply every migration not yet recorded; returns the ids applied now. */
export function migrate(db: Db, migrations = loadMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db.prepare('SELECT id FROM schema_migration').pluck().all() as number[],
  );
  const isApplied = db.prepare<[number], number>('SELECT 1 FROM schema_migration WHERE id = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migration (id, name, applied_at) VALUES (?, ?, ?)');
  // IMMEDIATE, and checked again inside: another process (a second server, the CLI) migrating the
  // same file at once waits for the write lock, then finds the migration done and skips it.
  const apply = db.transaction((m: Migration) => {
    if (isApplied.get(m.id) !== undefined) return false;
    db.exec(m.sql);
    record.run(m.id, m.name, new Date().toISOString());
    return true;
  });
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    if (apply.immediate(m)) done.push(m.id);
  }
  return done;
}
