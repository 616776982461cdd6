import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createUser, makeTestApp, revisionCount, tokenFor } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

function setup() {
  const t = makeTestApp();
  const alice = createUser(t.wiki, { name: 'Alice' });
  const bob = createUser(t.wiki, { name: 'Bob' });
  const vandal = createUser(t.wiki, { name: 'Vandal' });
  const admin = createUser(t.wiki, { name: 'Admin', role: 'admin' });
  return { ...t, alice, bob, vandal, admin, asAdmin: `Bearer ${tokenFor(t.wiki, admin)}`, asAlice: `Bearer ${tokenFor(t.wiki, alice)}` };
}

function editor(wiki: Wiki, title: string) {
  const t = parseTitle(title);
  return (actor: Actor, source: string, ip?: string) => {
    const page = wiki.stores.pages.byTitle(t);
    return saveEdit(wiki.stores, { title: t, source, baseId: page?.latestId ?? null, actor, ip }).revision;
  };
}

const raw = async (app: Parameters<typeof request>[0], title: string) => (await request(app).get(`/api/v1/page/${title}`)).body.source as string;
const tagsOf = (wiki: Wiki, id: number) => wiki.stores.revisions.byId(id)!.tags;

describe('undo', () => {
  it('removes one revision\'s change and keeps later edits; tags undo and reverted', async () => {
    const { app, wiki, alice, bob, vandal, asAlice } = setup();
    const save = editor(wiki, 'U');
    save(alice, 'one\ntwo\nthree\nfour\nfive\n');
    const bad = save(vandal, 'one\nSPAM\nthree\nfour\nfive\n');
    save(bob, 'one\nSPAM\nthree\nfour\nfive\nsix\n');
    const res = await request(app).post('/api/v1/page/U/undo').set('authorization', asAlice).send({ revision: bad.id });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('one\ntwo\nthree\nfour\nfive\nsix\n');
    expect(tagsOf(wiki, res.body.latest.id)).toContain('undo');
    expect(tagsOf(wiki, bad.id)).toContain('reverted');
  });

  it('answers 409 on a conflict with later edits and saves nothing', async () => {
    const { app, wiki, alice, bob, vandal, asAlice } = setup();
    const save = editor(wiki, 'U');
    save(alice, 'one\ntwo\nthree\n');
    const bad = save(vandal, 'one\nSPAM\nthree\n');
    save(bob, 'one\nSPAM improved\nthree\n');
    const before = revisionCount(wiki);
    const res = await request(app).post('/api/v1/page/U/undo').set('authorization', asAlice).send({ revision: bad.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('edit_conflict');
    expect(revisionCount(wiki)).toBe(before);
    expect(tagsOf(wiki, bad.id)).not.toContain('reverted');
  });

  it.each([
    { name: 'a revision of another page', rev: 'other', status: 404 },
    { name: 'the page creation', rev: 'first', status: 400 },
    { name: 'a non-numeric id', rev: 'x', status: 400 },
  ])('refuses undoing $name', async ({ rev, status }) => {
    const { app, wiki, alice } = setup();
    const first = editor(wiki, 'U')(alice, 'a');
    const other = editor(wiki, 'Other')(alice, 'b');
    const before = revisionCount(wiki);
    const revision = rev === 'other' ? other.id : rev === 'first' ? first.id : 'x';
    expect((await request(app).post('/api/v1/page/U/undo').send({ revision })).status).toBe(status);
    expect(revisionCount(wiki)).toBe(before);
  });
});

describe('revert to an old revision', () => {
  it('makes the old text latest, tagged revert; the revisions between are reverted', async () => {
    const { app, wiki, alice, vandal } = setup();
    const save = editor(wiki, 'R');
    const good = save(alice, 'good text that is long enough to matter here');
    const v1 = save(vandal, 'bad');
    const v2 = save(vandal, 'worse');
    const res = await request(app).post('/api/v1/page/R/revert').send({ to: good.id, comment: 'restore' });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('good text that is long enough to matter here');
    const rev = wiki.stores.revisions.byId(res.body.latest.id)!;
    expect(rev.tags).toContain('revert');
    expect(rev.contentId).toBe(good.contentId);
    expect(tagsOf(wiki, v1.id)).toContain('reverted');
    expect(tagsOf(wiki, v2.id)).toContain('reverted');
    expect(tagsOf(wiki, good.id)).not.toContain('reverted');
  });

  it('recognises a revert made by hand through a normal save', () => {
    const { wiki, alice, vandal } = setup();
    const save = editor(wiki, 'H');
    save(alice, 'original');
    const v = save(vandal, 'vandalised');
    const back = save(alice, 'original');
    expect(tagsOf(wiki, back.id)).toContain('revert');
    expect(tagsOf(wiki, v.id)).toContain('reverted');
  });

  it('is refused on a protected page to those who may not edit it, changing nothing', async () => {
    const { app, wiki, alice, vandal, asAdmin } = setup();
    const save = editor(wiki, 'P');
    const good = save(alice, 'good');
    save(vandal, 'bad');
    await request(app).post('/api/v1/page/P/protect').set('authorization', asAdmin).send({ level: 'semi' }).expect(200);
    const before = revisionCount(wiki);
    expect((await request(app).post('/api/v1/page/P/revert').send({ to: good.id })).status).toBe(401);
    expect(revisionCount(wiki)).toBe(before);
  });
});

describe('rollback', () => {
  it('reverts all consecutive latest edits by the latest author in one revision (admins)', async () => {
    const { app, wiki, alice, vandal, asAdmin } = setup();
    const save = editor(wiki, 'B');
    const good = save(alice, 'fine text');
    const v1 = save(vandal, 'bad 1');
    const v2 = save(vandal, 'bad 2');
    const before = revisionCount(wiki);
    const res = await request(app).post('/api/v1/page/B/rollback').set('authorization', asAdmin).send({});
    expect(res.status).toBe(200);
    expect(revisionCount(wiki)).toBe(before + 1);
    expect(res.body.source).toBe('fine text');
    const rev = wiki.stores.revisions.byId(res.body.latest.id)!;
    expect(rev.tags).toEqual(expect.arrayContaining(['rollback', 'revert']));
    expect(rev.comment).toBe('Reverted edits by Vandal to the last revision by Alice');
    for (const v of [v1, v2]) expect(tagsOf(wiki, v.id)).toContain('reverted');
    expect(tagsOf(wiki, good.id)).not.toContain('reverted');
    // Dealt with: the rolled-back edits leave the review queue, the good one stays.
    for (const v of [v1, v2]) expect(wiki.stores.revisions.byId(v.id)!.patrolled).toBe(true);
    expect(wiki.stores.revisions.byId(good.id)!.patrolled).toBe(false);
    expect(wiki.stores.review.queue(50, 0)).not.toEqual(expect.arrayContaining([v1.id]));
  });

  it('an undo marks the edit it undoes reviewed, by whoever undid it', async () => {
    const { app, wiki, alice, bob, vandal, asAlice } = setup();
    const save = editor(wiki, 'V');
    save(bob, 'line one\nline two');
    const bad = save(vandal, 'line one\nline two\nspam');
    const later = save(bob, 'line zero\nline one\nline two\nspam');
    const res = await request(app).post('/api/v1/page/V/undo').set('authorization', asAlice).send({ revision: bad.id });
    expect(res.status).toBe(200);
    expect(wiki.stores.revisions.byId(bad.id)!.patrolled).toBe(true);
    expect(wiki.db.prepare('SELECT patrolled_by FROM review WHERE revision_id = ?').pluck().get(bad.id)).toBe(alice.id);
    expect(wiki.stores.revisions.byId(later.id)!.patrolled).toBe(false);
  });

  it('is for admins only: users and anonymous are refused, nothing changes', async () => {
    const { app, wiki, alice, vandal, asAlice } = setup();
    const save = editor(wiki, 'B');
    save(alice, 'fine');
    save(vandal, 'bad');
    const before = revisionCount(wiki);
    expect((await request(app).post('/api/v1/page/B/rollback').set('authorization', asAlice).send({})).status).toBe(403);
    expect((await request(app).post('/api/v1/page/B/rollback').send({})).status).toBe(401);
    expect(revisionCount(wiki)).toBe(before);
  });

  it('refuses when one author wrote every revision', async () => {
    const { app, wiki, vandal, asAdmin } = setup();
    editor(wiki, 'Solo')(vandal, 'only');
    const res = await request(app).post('/api/v1/page/Solo/rollback').set('authorization', asAdmin).send({});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no earlier author/);
  });
});

describe('mass rollback', () => {
  it('previews, then restores every page the target edited last, skipping pages edited since by others; logged', async () => {
    const { app, wiki, alice, bob, vandal, asAdmin } = setup();
    const since = new Date(Date.now() - 1000).toISOString();
    const a = editor(wiki, 'A');
    const b = editor(wiki, 'B');
    const c = editor(wiki, 'C');
    a(alice, 'A good');
    b(alice, 'B good');
    c(alice, 'C good');
    a(vandal, 'A bad');
    a(vandal, 'A worse');
    b(vandal, 'B bad');
    c(vandal, 'C bad');
    c(bob, 'C bad, then fixed by Bob');
    const before = revisionCount(wiki);
    const preview = await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin).send({ target: 'Vandal', since, preview: true });
    expect(preview.status).toBe(200);
    expect(preview.body.pages.map((p: { title: string; skipped?: string }) => [p.title, p.skipped ?? 'rollback'])).toEqual([
      ['A', 'rollback'], ['B', 'rollback'], ['C', 'edited since by Bob'],
    ]);
    expect(revisionCount(wiki)).toBe(before);
    const run = await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin).send({ target: 'Vandal', since, reason: 'spree' });
    expect(run.status).toBe(200);
    expect(await raw(app, 'A')).toBe('A good');
    expect(await raw(app, 'B')).toBe('B good');
    expect(await raw(app, 'C')).toBe('C bad, then fixed by Bob');
    const log = await request(app).get('/api/v1/log?type=rollback');
    expect(log.body.entries[0]).toMatchObject({ action: 'mass-rollback', target: 'Vandal', reason: 'spree', details: { pages: ['A', 'B'], skipped: 1 } });
  });

  it('rolls back by IP address', async () => {
    const { app, wiki, alice, asAdmin } = setup();
    const since = new Date(Date.now() - 1000).toISOString();
    const a = editor(wiki, 'A');
    a(alice, 'A good');
    saveEdit(wiki.stores, { title: parseTitle('A'), source: 'anon spam', baseId: wiki.stores.pages.byTitle(parseTitle('A'))!.latestId, actor: 'temporary', ip: '203.0.113.5' });
    await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin).send({ target: '203.0.113.5', since }).expect(200);
    expect(await raw(app, 'A')).toBe('A good');
  });

  it('rolls back by any spelling of the address', async () => {
    const { app, wiki, alice, asAdmin } = setup();
    const since = new Date(Date.now() - 1000).toISOString();
    editor(wiki, 'A')(alice, 'A good');
    saveEdit(wiki.stores, { title: parseTitle('A'), source: 'anon spam', baseId: wiki.stores.pages.byTitle(parseTitle('A'))!.latestId, actor: 'temporary', ip: '203.0.113.5' });
    const res = await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin).send({ target: '::ffff:203.000.113.005', since });
    expect(res.status).toBe(200);
    expect(await raw(app, 'A')).toBe('A good');
  });

  it.each([
    { name: 'a user', auth: 'alice', status: 403 },
    { name: 'anonymous', auth: undefined, status: 401 },
  ])('is refused to $name', async ({ auth, status }) => {
    const { app, wiki, alice, vandal, asAlice } = setup();
    editor(wiki, 'A')(alice, 'x');
    editor(wiki, 'A')(vandal, 'y');
    const before = revisionCount(wiki);
    const req = request(app).post('/api/v1/mass-rollback');
    if (auth) req.set('authorization', asAlice);
    expect((await req.send({ target: 'Vandal', since: '2000-01-01T00:00:00Z' })).status).toBe(status);
    expect(revisionCount(wiki)).toBe(before);
  });

  it.each([
    { name: 'no target', body: { since: '2000-01-01' }, status: 400 },
    { name: 'unknown account', body: { target: 'Ghost', since: '2000-01-01' }, status: 404 },
    { name: 'bad since', body: { target: 'Vandal', since: 'yesterday' }, status: 400 },
  ])('refuses $name', async ({ body, status }) => {
    const { app, asAdmin } = setup();
    expect((await request(app).post('/api/v1/mass-rollback').set('authorization', asAdmin).send(body)).status).toBe(status);
  });
});

describe('GET /api/v1/recent-changes', () => {
  it('lists changes newest first with risk (for patrollers), tags and filters', async () => {
    const { app, wiki, alice, vandal, admin, asAdmin } = setup();
    editor(wiki, 'One')(alice, 'first page text, long enough to not be a blank');
    editor(wiki, 'Two')(vandal, 'second');
    editor(wiki, 'One')(vandal, 'X');
    editor(wiki, 'Two')(admin, 'admin edit');
    const all = await request(app).get('/api/v1/recent-changes').set('authorization', asAdmin);
    expect(all.status).toBe(200);
    const ids = all.body.changes.map((c: { revision_id: number }) => c.revision_id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => y - x));
    const blank = all.body.changes.find((c: { page: { title: string }; user: { name: string } }) => c.page.title === 'One' && c.user.name === 'Vandal');
    expect(blank).toMatchObject({ tags: expect.arrayContaining(['blanking', 'new-user']), new_page: false, patrolled: false });
    expect(blank.risk).toBeGreaterThanOrEqual(45);
    expect(blank.risk_reasons).toContain('blanks the page');
    const adminEdit = all.body.changes.find((c: { user: { name: string } }) => c.user.name === 'Admin');
    expect(adminEdit.patrolled).toBe(true);
    const byUser = await request(app).get('/api/v1/recent-changes?user=Vandal');
    expect(byUser.body.changes).toHaveLength(2);
    // Everyone else sees the tags, and no score: the field is there, null.
    const anonymous = await request(app).get('/api/v1/recent-changes');
    const seen = anonymous.body.changes.find((c: { revision_id: number }) => c.revision_id === blank.revision_id);
    expect(seen).toMatchObject({ tags: expect.arrayContaining(['blanking']), risk: null });
    expect(seen).not.toHaveProperty('risk_reasons');
    const refused = await request(app).get('/api/v1/recent-changes?min_risk=40');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/risk scores are for patrollers/);
    const risky = await request(app).get('/api/v1/recent-changes?min_risk=40').set('authorization', asAdmin);
    expect(risky.body.changes.map((c: { revision_id: number }) => c.revision_id)).toEqual([blank.revision_id]);
    const tagged = await request(app).get('/api/v1/recent-changes?tag=new');
    expect(tagged.body.changes).toHaveLength(2);
    const limited = await request(app).get('/api/v1/recent-changes?limit=1');
    expect(limited.body.changes).toHaveLength(1);
    const older = await request(app).get(`/api/v1/recent-changes?older_than=${ids[1]}`);
    expect(older.body.changes.map((c: { revision_id: number }) => c.revision_id)).toEqual(ids.slice(2));
  });

  it.each([
    { name: 'a zero limit', q: 'limit=0', status: 400, code: 'invalid_input' },
    { name: 'a risk filter from a reader', q: 'min_risk=10', status: 403, code: 'forbidden' },
    { name: 'a tag that is no tag name', q: 'tag=DROP TABLE', status: 400, code: 'invalid_input' },
    { name: 'a non-numeric older_than', q: 'older_than=x', status: 400, code: 'invalid_input' },
    { name: 'an unknown user', q: 'user=Nobody', status: 404, code: 'not_found' },
    { name: 'an unknown namespace', q: 'namespace=Nope', status: 400, code: 'invalid_input' },
    { name: 'zero days', q: 'days=0', status: 400, code: 'invalid_input' },
  ])('refuses $name ($q)', async ({ q, status, code }) => {
    const { app, logged } = setup();
    const res = await request(app).get(`/api/v1/recent-changes?${q}`);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(logged).toEqual([]);
  });
});

describe('patrol', () => {
  it('marks an edit reviewed (admins only) and takes it off the queue', async () => {
    const { app, wiki, vandal, asAdmin, asAlice } = setup();
    const rev = editor(wiki, 'Q')(vandal, 'check me');
    expect((await request(app).post(`/api/v1/revision/${rev.id}/patrol`).set('authorization', asAlice)).status).toBe(403);
    expect(wiki.stores.revisions.byId(rev.id)!.patrolled).toBe(false);
    const res = await request(app).post(`/api/v1/revision/${rev.id}/patrol`).set('authorization', asAdmin);
    expect(res.status).toBe(200);
    expect(wiki.stores.revisions.byId(rev.id)!.patrolled).toBe(true);
    expect(wiki.stores.review.queue(10, 0)).not.toContain(rev.id);
    expect((await request(app).post('/api/v1/revision/999/patrol').set('authorization', asAdmin)).status).toBe(404);
  });
});
