import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { ActorStore } from '../../server/db/actors.js';

function fresh() {
  const db = openDatabase(':memory:');
  migrate(db);
  return { db, actors: new ActorStore(db) };
}

describe('ActorStore', () => {
  it('gives back a created account by id and by name, and undefined for none', () => {
    const { actors } = fresh();
    const a = actors.create('Alice', 'user', 'admin', 'hash-a');
    expect(a).toMatchObject({ name: 'Alice', kind: 'user', role: 'admin', tokenVersion: 0, editCount: 0 });
    expect(Date.parse(a.createdAt)).not.toBeNaN();
    expect(actors.byId(a.id)).toEqual(a);
    expect(actors.byName('Alice')).toEqual(a);
    expect(actors.byName('alice')).toBeUndefined(); // names are exact
    expect(actors.byId(a.id + 1)).toBeUndefined();
    expect(actors.passwordHash(a.id)).toBe('hash-a');
    expect(actors.create('Bob', 'user').role).toBe('user');
  });

  it('keeps the password hash out of the Actor and undefined when there is none', () => {
    const { actors } = fresh();
    const t = actors.create('~2026-1', 'temp');
    expect(Object.keys(t)).not.toContain('passwordHash');
    expect(actors.passwordHash(t.id)).toBeUndefined();
    expect(actors.passwordHash(999)).toBeUndefined();
  });

  it.each([
    { name: 'first of a year', existing: [] as string[], year: 2026, expected: '~2026-1' },
    { name: 'counts up after the last', existing: ['~2026-1', '~2026-2'], year: 2026, expected: '~2026-3' },
    { name: 'a new year starts at 1', existing: ['~2025-7'], year: 2026, expected: '~2026-1' },
    { name: 'skips a number an import already took', existing: ['~2026-2', '~2026-1'], year: 2026, expected: '~2026-3' },
    { name: 'counts past 9 numerically', existing: ['~2026-9'], year: 2026, expected: '~2026-10' },
    // wiki import accepts any temporary name: one that is no number must not become ~2026-NaN
    // (and then an endless search for a free NaN).
    { name: 'passes over an imported name that is no number', existing: ['~2026-4', '~2026-imported'], year: 2026, expected: '~2026-5' },
    { name: 'an imported odd name alone starts at 1', existing: ['~2026-x1'], year: 2026, expected: '~2026-1' },
  ])('names temporary accounts: $name', ({ existing, year, expected }) => {
    const { actors } = fresh();
    for (const n of existing) actors.create(n, 'temp');
    const t = actors.createTemporary(new Date(Date.UTC(year, 5, 1)));
    expect(t).toMatchObject({ name: expected, kind: 'temp', role: 'user' });
  });

  it('makes the system account once, found by kind: an admin account never stands in', () => {
    const { actors } = fresh();
    const sys = actors.system();
    expect(sys).toMatchObject({ name: 'Peerwiki', kind: 'system', role: 'admin' });
    expect(actors.system().id).toBe(sys.id);
    const { actors: other } = fresh();
    other.create('Someone', 'user', 'admin');
    expect(other.system()).toMatchObject({ name: 'Peerwiki', kind: 'system' });
  });

  it('counts edits and changes roles', () => {
    const { actors } = fresh();
    const a = actors.create('Carol', 'user');
    actors.countEditOf(a.id);
    actors.countEditOf(a.id);
    actors.setRole(a.id, 'admin');
    expect(actors.byId(a.id)).toMatchObject({ editCount: 2, role: 'admin', tokenVersion: 0 });
  });

  it('invalidates earlier tokens on a new password and on revocation', () => {
    const { actors } = fresh();
    const a = actors.create('Dan', 'user', 'user', 'old');
    actors.setPasswordHash(a.id, 'new');
    expect(actors.passwordHash(a.id)).toBe('new');
    expect(actors.byId(a.id)!.tokenVersion).toBe(1);
    actors.revokeTokens(a.id);
    expect(actors.byId(a.id)!.tokenVersion).toBe(2);
    expect(actors.passwordHash(a.id)).toBe('new');
  });

  it.each([
    { name: 'a taken name', make: (s: ActorStore) => { s.create('Eve', 'user'); s.create('Eve', 'user'); }, error: /UNIQUE/ },
    { name: 'an unknown kind', make: (s: ActorStore) => s.create('Fay', 'robot' as never), error: /CHECK/ },
    { name: 'an unknown role', make: (s: ActorStore) => s.create('Gil', 'user', 'owner' as never), error: /CHECK/ },
  ])('refuses $name, storing nothing', ({ make, error }) => {
    const { db, actors } = fresh();
    expect(() => make(actors)).toThrow(error);
    expect(db.prepare("SELECT count(*) FROM actor WHERE name <> 'Eve'").pluck().get()).toBe(0);
  });
});
