import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { lookupKeys, parseAddress } from '../../server/wiki/address.js';
import { LAST_EXPIRY } from '../../server/wiki/expiry.js';
import { keyOlderBlocks } from '../../server/wiki/admin.js';

const lookup = (ip: string) => lookupKeys(parseAddress(ip)!);
const now = '2026-06-01T00:00:00.000Z';

/** A database as it was before migration 0006, with blocks written the old way. */
function oldDatabase() {
  const db = openDatabase(':memory:');
  migrate(db, loadMigrations().filter((m) => m.id < 6));
  db.prepare("INSERT INTO actor (id, name, kind, role, created_at) VALUES (1, 'Admin', 'user', 'admin', ?), (2, 'Vandal', 'user', 'user', ?)").run(now, now);
  db.prepare("INSERT INTO page (id, title, created_at) VALUES (1, 'P', ?)").run(now);
  const block = db.prepare('INSERT INTO block (actor_id, ip, target, expiry, reason, by_actor, created_at, removed_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)');
  block.run(null, '::ffff:10.0.0.5', '::ffff:10.0.0.5', null, 'mapped', now, null);
  block.run(null, 'fe80::1%eth0', 'fe80::1%eth0', null, 'zoned', now, null);
  block.run(2, null, 'Vandal', '+011996-01-01T00:00:00.000Z', '9999 years', now, null);
  block.run(null, '192.0.2.1', '192.0.2.1', null, 'lifted', now, now);
  db.prepare("INSERT INTO protection (page_id, level, expiry, reason, actor_id, created_at) VALUES (1, 'full', '+010025-01-01T00:00:00.000Z', '', 1, ?)").run(now);
  return db;
}

describe('migration 0006 and blocks written before it', () => {
  it('gives old address blocks their range keys, so every spelling is stopped', () => {
    const db = oldDatabase();
    expect(migrate(db)).toContain(6);
    const stores = createStores(db);
    // The stores know no address rules: the domain keys the old blocks at start (bootstrap.ts).
    expect(stores.blocks.activeFor(undefined, lookup('10.0.0.5'), now)).toBeUndefined();
    keyOlderBlocks(stores);
    expect(stores.blocks.unkeyed()).toEqual([]);
    expect(stores.blocks.activeFor(undefined, lookup('10.0.0.5'), now)?.reason).toBe('mapped');
    expect(stores.blocks.activeFor(undefined, lookup('::ffff:10.0.0.5'), now)?.ip).toBe('10.0.0.5');
    expect(stores.blocks.activeFor(undefined, lookup('fe80::1'), now)?.reason).toBe('zoned');
    expect(stores.blocks.activeFor(undefined, lookup('10.0.0.6'), now)).toBeUndefined();
    // A lifted block stays as it was.
    expect(db.prepare("SELECT range_start FROM block WHERE reason = 'lifted'").pluck().get()).toBeNull();
  });

  it('turns expiries past the year 9999 into the last one there is, so they hold again', () => {
    const db = oldDatabase();
    migrate(db);
    const stores = createStores(db);
    expect(stores.blocks.activeFor(2, undefined, now)?.expiry).toBe(LAST_EXPIRY);
    expect(stores.protection.get(1, now)).toMatchObject({ level: 'full', expiry: LAST_EXPIRY });
  });

  it('finds range blocks through the block_range index', () => {
    const db = oldDatabase();
    migrate(db);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM block WHERE range_start BETWEEN ? AND ? AND range_end >= ? AND removed_at IS NULL AND (expiry IS NULL OR expiry > ?) ORDER BY id DESC LIMIT 1").all('a', 'b', 'b', now) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX block_range \(range_start>\? AND range_start<\?\)/);
  });
});
