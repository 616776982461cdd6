import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';
import { createStores } from '../../server/db/stores.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';

// The domain side (who wrote which line) is test/wiki/blame.test.ts; this is the stored form.
function withRevision() {
  const db = openDatabase(':memory:');
  migrate(db);
  const s = createStores(db);
  const rev = saveEdit(s, { title: parseTitle('P'), source: 'x', baseId: null, actor: s.actors.system() }).revision.id;
  return { s, rev, runs: () => db.prepare('SELECT runs FROM blame_cache WHERE revision_id = ?').pluck().get(rev) };
}

describe('BlameStore', () => {
  it.each([
    { name: 'no lines', lines: [] as number[], runs: '[]' },
    { name: 'one author', lines: [4, 4, 4], runs: '[4,3]' },
    { name: 'alternating authors', lines: [1, 2, 1], runs: '[1,1,2,1,1,1]' },
    { name: 'runs of several', lines: [1, 1, 2, 2, 2, 3], runs: '[1,2,2,3,3,1]' },
  ])('stores $name as runs and reads the same lines back', ({ lines, runs }) => {
    const { s, rev, runs: stored } = withRevision();
    s.blame.put(rev, 1, lines);
    expect(stored()).toBe(runs);
    expect(s.blame.get(rev, 1)).toEqual(lines);
  });

  it('keys by revision and algorithm version: another version is not computed yet', () => {
    const { s, rev } = withRevision();
    expect(s.blame.get(rev, 1)).toBeUndefined();
    s.blame.put(rev, 1, [1]);
    expect(s.blame.get(rev, 2)).toBeUndefined();
    expect(s.blame.get(rev + 1, 1)).toBeUndefined();
  });

  it('replaces what a version stored before', () => {
    const { s, rev } = withRevision();
    s.blame.put(rev, 1, [1, 1]);
    s.blame.put(rev, 1, [2]);
    expect(s.blame.get(rev, 1)).toEqual([2]);
  });

  it('refuses a revision that does not exist', () => {
    const { s, rev } = withRevision();
    expect(() => s.blame.put(rev + 100, 1, [1])).toThrow(/FOREIGN KEY/);
  });
});
