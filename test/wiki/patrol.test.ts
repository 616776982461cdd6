import { describe, expect, it } from 'vitest';
import { makeTestApp, createUser } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { patrol } from '../../server/wiki/patrol.js';
import { parseTitle } from '../../server/wiki/title.js';

describe('patrol', () => {
  it('marks a revision reviewed once, then reports it already was', () => {
    const { wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    const user = createUser(wiki);
    const id = saveEdit(wiki.stores, { title: parseTitle('P'), source: 'x', baseId: null, actor: user }).revision.id;
    expect(wiki.stores.revisions.byId(id)!.patrolled).toBe(false);
    expect(wiki.stores.review.queue(10, 0)).toContain(id);
    expect(patrol(wiki.stores, admin, id)).toBe(true);
    expect(wiki.stores.revisions.byId(id)!.patrolled).toBe(true);
    expect(wiki.stores.review.queue(10, 0)).not.toContain(id);
    expect(patrol(wiki.stores, admin, id)).toBe(false);
  });

  it('refuses a revision that does not exist', () => {
    const { wiki } = makeTestApp();
    const admin = createUser(wiki, { role: 'admin' });
    expect(() => patrol(wiki.stores, admin, 4242)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
