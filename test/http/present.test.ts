import { describe, expect, it } from 'vitest';
import { changeJson, conflictJson, revisionJson, revisionSummaryJson } from '../../server/http/present.js';
import { EditConflictError } from '../../server/wiki/errors.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Right } from '../../server/wiki/rights.js';
import type { Page, Revision } from '../../server/wiki/types.js';

const page: Page = { id: 3, title: parseTitle('P'), latestId: 9, isRedirect: false, touched: 0, createdAt: '' };
const rev = (o: Partial<Revision> = {}): Revision => ({
  id: 9, pageId: 3, parentId: 8, actor: { id: 4, name: '~2026-1', kind: 'temp' }, contentId: 1, comment: 'c', minor: false,
  size: 12, parentSize: 20, sha1: 'abc', timestamp: '2026-01-01T00:00:00.000Z', ip: '192.0.2.1', tags: ['undo'],
  risk: 10, riskReasons: [], patrolled: false, ...o,
});
const may = (...rights: Right[]) => (r: Right) => rights.includes(r);

describe('addresses in revision objects', () => {
  it.each([
    { name: 'a temporary account, viewer with view-ip', r: rev(), can: may('view-ip'), ip: '192.0.2.1' },
    { name: 'a temporary account, viewer without it', r: rev(), can: may('rollback', 'delete'), ip: undefined },
    { name: 'a registered account, viewer with view-ip', r: rev({ actor: { id: 5, name: 'Al', kind: 'user' } }), can: may('view-ip'), ip: undefined },
    { name: 'no address kept', r: rev({ ip: null }), can: may('view-ip'), ip: undefined },
  ])('$name', ({ r, can, ip }) => {
    expect(revisionSummaryJson(r, can).ip).toBe(ip);
    expect(changeJson(r, page, can).ip).toBe(ip);
    expect(revisionJson(r, page, 'text', can).ip).toBe(ip);
  });
});

describe('shapes', () => {
  it('a revision summary carries the delta and no source', () => {
    expect(revisionSummaryJson(rev(), may())).toEqual({
      id: 9, timestamp: '2026-01-01T00:00:00.000Z', minor: false, size: 12, delta: -8, comment: 'c',
      user: { id: 4, name: '~2026-1' }, tags: ['undo'],
    });
  });

  it('a revision names its page, parent and source', () => {
    expect(revisionJson(rev(), page, 'text', may())).toMatchObject({ id: 9, page: { id: 3, title: 'P' }, parent_id: 8, sha1: 'abc', source: 'text' });
  });

  it('a change says whether it made the page', () => {
    expect(changeJson(rev({ parentId: null }), page, may())).toMatchObject({ revision_id: 9, new_page: true, risk: null, patrolled: false });
  });

  it('a change carries its risk and reasons for patrollers only', () => {
    expect(changeJson(rev({}), page, may('patrol'))).toMatchObject({ risk: 10, risk_reasons: expect.any(Array) });
    expect(changeJson(rev({}), page, may('view-ip'))).not.toHaveProperty('risk_reasons');
  });

  it('a conflict carries both texts, with the message given', () => {
    const e = new EditConflictError(7, { id: 9, source: 'theirs' }, 'mine', []);
    expect(conflictJson(e)).toEqual({ error: { code: 'edit_conflict', message: e.message }, base: 7, current: { id: 9, source: 'theirs' } });
    expect(conflictJson(e, 'other').error.message).toBe('other');
  });
});
