import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores, type Stores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { deletePage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';

const NOW = '2026-03-01T12:00:00.000Z';

/** Stores with one revision per entry of `titles` (four of P by default) and no review rows: the tests write them. */
function setup(titles = ['P', 'P', 'P', 'P']) {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const system = s.actors.system();
  const ids = titles.map((t, i) => {
    const title = parseTitle(t);
    return saveEdit(s, { title, source: `text ${i}`, baseId: s.pages.byTitle(title)?.latestId ?? null, actor: system }).revision.id;
  });
  db.exec('DELETE FROM review'); // saves write their own; these tests write the rows by hand
  const patroller = s.actors.create('Patroller', 'user', 'admin');
  return { s, ids, patroller };
}

const row = (s: Stores, id: number) => s.db.prepare('SELECT risk, reasons, patrolled_by, patrolled_at FROM review WHERE revision_id = ?').get(id);

describe('ReviewStore', () => {
  it.each([
    { name: 'an unreviewed edit', by: null as number | null, stored: { patrolled_by: null, patrolled_at: null } },
    { name: 'a trusted author\'s edit, reviewed at once', by: 'patroller' as const, stored: { patrolled_at: NOW } },
  ])('records $name with its risk and reasons', ({ by, stored }) => {
    const { s, ids, patroller } = setup();
    const who = by === 'patroller' ? patroller.id : null;
    s.review.put(ids[0]!, 40, ['blanking', 'new user'], who, NOW);
    expect(row(s, ids[0]!)).toMatchObject({ risk: 40, reasons: '["blanking","new user"]', patrolled_by: who, ...stored });
    expect(s.revisions.byId(ids[0]!)).toMatchObject({ risk: 40, riskReasons: ['blanking', 'new user'], patrolled: who !== null });
  });

  it('marks an edit reviewed once: the second mark and a missing row say false', () => {
    const { s, ids, patroller } = setup();
    s.review.put(ids[0]!, 10, [], null, NOW);
    expect(s.review.markPatrolled(ids[0]!, patroller.id, NOW)).toBe(true);
    expect(row(s, ids[0]!)).toMatchObject({ patrolled_by: patroller.id, patrolled_at: NOW });
    const other = s.actors.create('Other', 'user', 'admin');
    expect(s.review.markPatrolled(ids[0]!, other.id, '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(row(s, ids[0]!)).toMatchObject({ patrolled_by: patroller.id, patrolled_at: NOW }); // the first mark stands
    expect(s.review.markPatrolled(ids[1]!, patroller.id, NOW)).toBe(false); // no review row
  });

  it('queues unreviewed edits riskiest first, then newest, with limit and offset', () => {
    const { s, ids, patroller } = setup();
    const [a, b, c, d] = ids as [number, number, number, number];
    s.review.put(a, 50, [], null, NOW);
    s.review.put(b, 90, [], null, NOW);
    s.review.put(c, 50, [], null, NOW);
    s.review.put(d, 99, [], patroller.id, NOW); // already reviewed: not queued
    expect(s.review.queue(10, 0)).toEqual([b, c, a]);
    expect(s.review.queue(1, 1)).toEqual([c]);
    s.review.markPatrolled(b, patroller.id, NOW);
    expect(s.review.queue(10, 0)).toEqual([c, a]);
  });

  it('leaves revisions of deleted pages out of the queue', () => {
    const { s, ids } = setup(['Kept', 'Gone']);
    const [kept, gone] = ids as [number, number];
    s.review.put(kept, 10, [], null, NOW);
    s.review.put(gone, 90, [], null, NOW);
    expect(s.review.queue(10, 0)).toEqual([gone, kept]);
    deletePage(s, s.actors.system(), parseTitle('Gone'), '');
    expect(s.review.queue(10, 0)).toEqual([kept]);
  });

  it.each([
    { name: 'a risk over 100', risk: 101, error: /CHECK/ },
    { name: 'a negative risk', risk: -1, error: /CHECK/ },
  ])('refuses $name', ({ risk, error }) => {
    const { s, ids } = setup();
    expect(() => s.review.put(ids[0]!, risk, [], null, NOW)).toThrow(error);
    expect(row(s, ids[0]!)).toBeUndefined();
  });

  it('refuses a second row for one revision', () => {
    const { s, ids } = setup();
    s.review.put(ids[0]!, 10, [], null, NOW);
    expect(() => s.review.put(ids[0]!, 20, [], null, NOW)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(row(s, ids[0]!)).toMatchObject({ risk: 10 });
  });
});
