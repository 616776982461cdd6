/**
 * Names as people type them (SPEC sections 2, 5, 7): one normalizer, the title rules, wherever a
 * user name comes in: `alice` is the account Alice, `bob_smith` is Bob smith.
 */
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createUser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { normalUserName, parseTitle } from '../../server/wiki/title.js';

describe('normalUserName', () => {
  it.each([
    ['alice', 'Alice'],
    ['bob_smith', 'Bob smith'],
    ['  bob   smith ', 'Bob smith'],
    ['émile', 'Émile'],
    ['Alice', 'Alice'],
    // Case beyond the first letter is the person's own, as in MediaWiki.
    ['aLICE', 'ALICE'],
    ['~2026-1', '~2026-1'],
    ['10.0.0.5', '10.0.0.5'],
    // What the title rules cannot read is only tidied: lookups find nothing, registering says why.
    ['2001:db8::1', '2001:db8::1'],
    ['a[b]', 'a[b]'],
  ])('%j is %j', (typed, name) => {
    expect(normalUserName(typed)).toBe(name);
  });
});

describe('user names as typed, everywhere a name comes in', () => {
  function setup() {
    const t = makeTestApp();
    const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
    const vandal = createUser(t.wiki, { name: 'Bob smith' });
    const good = createUser(t.wiki, { name: 'Good' });
    const save = (source: string, actor = vandal) => {
      const title = parseTitle('Target');
      return saveEdit(t.wiki.stores, { title, source, baseId: t.wiki.stores.pages.byTitle(title)?.latestId ?? null, actor }).revision;
    };
    save('good text', good);
    save('vandalism');
    return { ...t, asAdmin: `Bearer ${tokenFor(t.wiki, admin)}`, asVandal: `Bearer ${tokenFor(t.wiki, vandal)}`, save };
  }

  it('blocks the account a typed name means', async () => {
    const { app, asAdmin, asVandal } = setup();
    const res = await request(app).post('/api/v1/blocks').set('authorization', asAdmin).send({ target: 'bob_smith', reason: 'vandalism' });
    expect(res.status).toBe(201);
    expect(res.body.target).toBe('Bob smith');
    expect((await request(app).post('/api/v1/page').set('authorization', asVandal).send({ title: 'More', source: 'x' })).status).toBe(403);
  });

  it('rolls back `from` a typed name, and still refuses one that means someone else', async () => {
    const { app, wiki, asAdmin } = setup();
    const before = revisionCount(wiki);
    const wrong = await request(app).post('/api/v1/page/Target/rollback').set('authorization', asAdmin).send({ from: 'good' });
    expect(wrong.status).toBe(409);
    expect(revisionCount(wiki)).toBe(before);
    const res = await request(app).post('/api/v1/page/Target/rollback').set('authorization', asAdmin).send({ from: 'bob_smith' });
    expect(res.status).toBe(200);
    expect((await request(app).get('/wiki/Target?action=raw')).text).toBe('good text');
  });

  it('mass-rolls back a typed name', async () => {
    const { app, asAdmin } = setup();
    const res = await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin)
      .send({ target: 'bob smith', since: '2000-01-01T00:00:00Z', preview: true });
    expect(res.status).toBe(200);
    expect(res.body.pages.map((p: { title: string }) => p.title)).toEqual(['Target']);
  });

  it('filters recent changes and lists contributions by a typed name', async () => {
    const { app } = setup();
    const rc = await request(app).get('/api/v1/recent-changes?user=bob_smith');
    expect(rc.status).toBe(200);
    expect(rc.body.changes.map((c: { user: { name: string } }) => c.user.name)).toEqual(['Bob smith']);
    const contributions = await request(app).get('/special/contributions/bob_smith');
    expect(contributions.status).toBe(200);
    expect(contributions.text).toContain('Bob smith');
  });
});
