import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { loadMigrations, migrate } from '../../server/db/migrate.js';

describe('migration 0007: revision addresses in canonical form', () => {
  it('writes IPv4-mapped addresses as plain IPv4 and leaves every other one as it was', () => {
    const db = openDatabase(':memory:');
    migrate(db, loadMigrations().filter((m) => m.id < 7));
    const now = '2026-06-01T00:00:00.000Z';
    db.prepare("INSERT INTO actor (id, name, kind, role, created_at) VALUES (1, '~2026-1', 'temp', 'user', ?)").run(now);
    db.prepare("INSERT INTO page (id, title, created_at) VALUES (1, 'P', ?)").run(now);
    db.prepare("INSERT INTO content (id, sha1, size, encoding, data) VALUES (1, 'x', 1, 'raw', 'x')").run();
    const add = db.prepare('INSERT INTO revision (page_id, actor_id, content_id, size, sha1, timestamp, ip) VALUES (1, 1, 1, 1, ?, ?, ?)');
    for (const ip of ['::ffff:10.0.0.5', '::FFFF:192.0.2.1', '10.0.0.6', '2001:db8::1', '::ffff:1:2', null]) add.run('x', now, ip);
    expect(migrate(db)).toContain(7);
    expect(db.prepare('SELECT ip FROM revision ORDER BY id').pluck().all()).toEqual(['10.0.0.5', '192.0.2.1', '10.0.0.6', '2001:db8::1', '::ffff:1:2', null]);
  });
});
