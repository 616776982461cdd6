import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../../server/db/connection.js';
import { checkpointBeside, leaveCheckpoints, startCheckpointer } from '../../server/db/checkpointer.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) closeDatabase(db);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileDb() {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'wiki.db');
  const db = openDatabase(file);
  dbs.push(db);
  db.exec('CREATE TABLE junk (x BLOB)');
  return { db, file };
}

/** Write about `mb` MiB in one transaction. */
function write(db: Db, mb: number): void {
  const insert = db.prepare('INSERT INTO junk VALUES (randomblob(?))');
  db.transaction(() => {
    for (let i = 0; i < mb * 32; i++) insert.run(32 * 1024);
  })();
}

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('checkpointer', () => {
  it('also stores replaced texts as deltas and deflates the latest, in the background, while saves go on', async () => {
    const { db, file } = fileDb();
    migrate(db);
    const stores = createStores(db);
    const actor = stores.actors.system();
    const line = (i: number) => `Line ${i}: peer networks share ${i * 7919} things with ${i * 104729} neighbours.`;
    const text = (n: number) => Array.from({ length: 40 }, (_, i) => (i === n ? `${line(i)} Edited.` : line(i))).join('\n');
    let base: number | null = null;
    const contents: number[] = [];
    for (let n = 0; n < 6; n++) {
      const r = saveEdit(stores, { title: parseTitle('Background'), source: text(n), baseId: base, actor });
      base = r.revision.id;
      contents.push(r.revision.contentId);
    }
    expect(stores.content.queued()).toBe(5);
    const checkpoints = checkpointBeside(db, file, 50)!;
    try {
      expect(await until(() => stores.content.queued() === 0 && stores.content.freshCount() === 0)).toBe(true);
    } finally {
      await checkpoints.stop();
    }
    const bases = db.prepare('SELECT base_id FROM content WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').pluck().all(JSON.stringify(contents));
    expect(bases).toEqual([...contents.slice(1), null]);
    // The five replaced texts became deltas (raw: a few dozen bytes); only the latest was deflated.
    const encodings = db.prepare('SELECT encoding FROM content WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').pluck().all(JSON.stringify(contents));
    expect(encodings).toEqual(['raw', 'raw', 'raw', 'raw', 'raw', 'deflate']);
    stores.content.clearCache();
    for (let n = 0; n < 6; n++) expect(stores.content.get(contents[n]!)).toBe(text(n));
  });

  it('takes checkpoints off the connection that commits and makes them on its thread', async () => {
    const { db, file } = fileDb();
    const before = statSync(file).size;
    const checkpoints = checkpointBeside(db, file, 50)!;
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // 6 MiB: past the 1,000 pages at which the committing connection would have checkpointed.
      write(db, 6);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(6 * 1024 * 1024);
      // The thread copies the WAL into the database file.
      expect(await until(() => statSync(file).size > before + 6 * 1024 * 1024)).toBe(true);
    } finally {
      await checkpoints.stop();
    }
    // Without the thread, the connection checkpoints for itself again.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('without it, a commit leaves the WAL alone once autocheckpoint is off (what the thread is for)', () => {
    const { db, file } = fileDb();
    leaveCheckpoints(db);
    const before = statSync(file).size;
    write(db, 6);
    expect(statSync(file).size).toBe(before);
  });

  it('does nothing for an in-memory database', () => {
    const db = openDatabase(':memory:');
    dbs.push(db);
    expect(checkpointBeside(db, ':memory:')).toBeUndefined();
    expect(startCheckpointer(':memory:')).toBeUndefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('serves connections in other processes too: one thread, connections that only leave checkpoints to it', async () => {
    const { db, file } = fileDb();
    const before = statSync(file).size;
    let failures = 0;
    const thread = startCheckpointer(file, { everyMs: 50, onFailure: () => (failures += 1) })!;
    try {
      leaveCheckpoints(db);
      write(db, 6);
      expect(await until(() => statSync(file).size > before + 6 * 1024 * 1024)).toBe(true);
    } finally {
      await thread.stop();
    }
    expect(failures).toBe(0);
  });

  it('says when the thread fails, and the connection checkpoints for itself again', async () => {
    const { db, file } = fileDb();
    let failures = 0;
    const selfAgain = leaveCheckpoints(db);
    // A file that is not there: the thread cannot open it and stops.
    const thread = startCheckpointer(`${file}.missing`, {
      everyMs: 50,
      onFailure: () => {
        failures += 1;
        selfAgain();
      },
    })!;
    expect(await until(() => failures === 1)).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // Once the thread has ended, stopping it returns at once (it once waited forever for an answer).
    await new Promise((resolve) => setTimeout(resolve, 50));
    await thread.stop();
    expect(failures).toBe(1);
  });
});
