import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { expandSignatures, signatureTime } from '../../server/wiki/signatures.js';
import { browser, createPage, createUser, makeTestApp, tokenFor } from '../helpers/app.js';
import { commitSave, saveEdit } from '../../server/wiki/edit.js';
import { prepareSave } from '../../server/wiki/prepareSave.js';
import { parseTitle } from '../../server/wiki/title.js';

const NOW = new Date('2026-12-07T09:05:00Z');
const SIG = '[[User:Alice Smith|Alice Smith]] ([[User talk:Alice Smith|talk]])';
const TIME = '09:05, 7 December 2026 (UTC)';

describe('expandSignatures', () => {
  it.each([
    ['I agree. ~~~~', `I agree. ${SIG} ${TIME}`],
    ['Name only ~~~', `Name only ${SIG}`],
    ['Time only ~~~~~', `Time only ${TIME}`],
    ['Six ~~~~~~ stays', 'Six ~~~~~~ stays'],
    ['Two ~~ stays', 'Two ~~ stays'],
    ['In `~~~~` code, out ~~~~', `In \`~~~~\` code, out ${SIG} ${TIME}`],
    ['Unclosed ` tick ~~~', `Unclosed \` tick ${SIG}`],
    ['```\n~~~~\n```\nafter ~~~', `\`\`\`\n~~~~\n\`\`\`\nafter ${SIG}`],
    ['~~~\nin a tilde fence ~~~~\n~~~\nout ~~~~~', `~~~\nin a tilde fence ~~~~\n~~~\nout ${TIME}`],
    ['para\n\n    indented ~~~~\n\nback ~~~', `para\n\n    indented ~~~~\n\nback ${SIG}`],
  ])('%j', (text, want) => {
    expect(expandSignatures(text, 'Alice Smith', NOW)).toBe(want);
  });

  it('formats the time as MediaWiki signs', () => {
    expect(signatureTime(NOW)).toBe(TIME);
  });

  it('reads a line of many code spans and tildes once: work grows with the text, not its square', () => {
    // Runs of every length, each unmatched but the last: a naive search for each closing run rescans the rest.
    const line = (n: number) => Array.from({ length: n }, (_, i) => '`'.repeat((i % 50) + 1) + ' ~~~ ').join('');
    const time = (n: number) => {
      const text = line(n);
      const t0 = performance.now();
      for (let k = 0; k < 5; k++) expandSignatures(text, 'A', NOW);
      return performance.now() - t0;
    };
    time(2000);
    const small = time(4000);
    const large = time(16000);
    // Four times the input: linear work takes about four times as long; quadratic, sixteen.
    expect(large / small).toBeLessThan(9);
  });
});

describe('signing on save', () => {
  it('signs a form save with the account name, and an API save too; never a revert', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice Smith' });
    const [base] = createPage(wiki, { title: 'Talk:Mesh', source: 'Topic.' });
    const res = await request(app).put('/api/v1/page/Talk:Mesh').set('authorization', `Bearer ${tokenFor(wiki, alice)}`)
      .send({ source: 'Topic.\n\n:I agree. ~~~~', latest: { id: base } });
    expect(res.status).toBe(200);
    expect(res.body.source).toMatch(/^Topic\.\n\n:I agree\. \[\[User:Alice Smith\|Alice Smith\]\] \(\[\[User talk:Alice Smith\|talk\]\]\) \d\d:\d\d, \d+ \w+ \d{4} \(UTC\)$/);
    // The wiki's own saves (here: a script's saveEdit) keep tildes as typed.
    const kept = saveEdit(wiki.stores, { title: parseTitle('Literal'), source: 'Tildes ~~~~ kept.', baseId: null, actor: alice });
    expect(kept.text).toBe('Tildes ~~~~ kept.');
  });

  it('signs a first save without an account with the new temporary account\'s name', async () => {
    const { app, wiki } = makeTestApp();
    createPage(wiki, { title: 'Talk:Gossip', source: 'Start.' });
    const { agent, csrf } = await browser(app, '/wiki/Talk:Gossip?action=edit');
    const base = wiki.stores.pages.byTitle(parseTitle('Talk:Gossip'))!.latestId;
    expect((await agent.post('/wiki/Talk:Gossip?action=submit').type('form').send({ csrf, source: 'Start.\n\nHello ~~~', base: String(base) })).status).toBe(303);
    const latest = wiki.stores.revisions.byId(wiki.stores.pages.byTitle(parseTitle('Talk:Gossip'))!.latestId)!;
    expect(latest.actor.kind).toBe('temp');
    const text = (await request(app).get('/wiki/Talk:Gossip?action=raw')).text;
    expect(text).toBe(`Start.\n\nHello [[User:${latest.actor.name}|${latest.actor.name}]] ([[User talk:${latest.actor.name}|talk]])`);
    // The link tables follow the signed text.
    const linksHere = await request(app).get(`/api/v1/page/${encodeURIComponent(`User:${latest.actor.name}`)}/links/here`);
    expect(linksHere.body.pages.map((p: { title: string }) => p.title)).toContain('Talk:Gossip');
  });
});

describe('signing as a temporary account still to be made', () => {
  it('signs with the expected name before the write, and again with the real one when another account took it meanwhile', () => {
    const { wiki } = makeTestApp();
    const s = wiki.stores;
    const input = { title: parseTitle('Talk:Race'), source: 'Hi ~~~', comment: '', baseId: null, actor: 'temporary' as const, sign: true };
    const expected = s.actors.nextTemporaryName();
    const early = prepareSave(s, input);
    expect(early.signedAs).toBe(expected);
    expect(early.text).toContain(`[[User:${expected}|${expected}]]`);
    // Another process makes a temporary account between the preparation and the write.
    const other = s.actors.createTemporary();
    expect(other.name).toBe(expected);
    const saved = s.transaction(() => commitSave(s, early));
    expect(saved.actor!.name).not.toBe(expected);
    expect(saved.text).toBe(`Hi [[User:${saved.actor!.name}|${saved.actor!.name}]] ([[User talk:${saved.actor!.name}|talk]])`);
    // Without a race the prepared text is the one stored.
    const calm = prepareSave(s, { ...input, title: parseTitle('Talk:Calm') });
    const stored = s.transaction(() => commitSave(s, calm));
    expect(stored.actor!.name).toBe(calm.signedAs);
    expect(stored.text).toBe(calm.text);
  });
});

describe('Add topic (?action=edit&section=new)', () => {
  it('appends the subject as a heading and the signed text, with a section summary', async () => {
    const { app, wiki } = makeTestApp();
    const alice = createUser(wiki, { name: 'Alice Smith' });
    createPage(wiki, { title: 'Talk:Mesh', source: '## Old topic\n\nOld words.\n' });
    const view = await request(app).get('/wiki/Talk:Mesh');
    expect(view.text).toContain('href="/wiki/Talk:Mesh?action=edit&amp;section=new" accesskey="+"');
    const form = await request(app).get('/wiki/Talk:Mesh?action=edit&section=new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Adding a new topic to Talk:Mesh');
    expect(form.text).toContain('<input type="hidden" name="section" value="new">');
    expect(form.text).toMatch(/<input id="subject" name="subject"/);
    const { agent, csrf } = await browser(app, '/wiki/Talk:Mesh?action=edit&section=new');
    // Someone else edits the page after the form opened: a new topic goes after their words, no conflict.
    saveEdit(wiki.stores, { title: parseTitle('Talk:Mesh'), source: '## Old topic\n\nOld words.\n\n:A reply.\n', baseId: wiki.stores.pages.byTitle(parseTitle('Talk:Mesh'))!.latestId, actor: alice });
    const res = await agent.post('/wiki/Talk:Mesh?action=submit').type('form').send({ csrf, section: 'new', subject: 'Radios\nand range', source: 'What range do the radios have? ~~~' });
    expect(res.status).toBe(303);
    const latest = wiki.stores.revisions.byId(wiki.stores.pages.byTitle(parseTitle('Talk:Mesh'))!.latestId)!;
    const text = (await request(app).get('/wiki/Talk:Mesh?action=raw')).text;
    expect(text).toBe(`## Old topic\n\nOld words.\n\n:A reply.\n\n## Radios and range\n\nWhat range do the radios have? [[User:${latest.actor.name}|${latest.actor.name}]] ([[User talk:${latest.actor.name}|talk]])\n`);
    expect(latest.comment).toBe('/* Radios and range */ new section');
  });

  it('starts a talk page that did not exist', async () => {
    const { app, wiki } = makeTestApp();
    const { agent, csrf } = await browser(app, '/wiki/Talk:Nothing?action=edit&section=new');
    expect((await agent.post('/wiki/Talk:Nothing?action=submit').type('form').send({ csrf, section: 'new', subject: 'First', source: 'Hello.' })).status).toBe(303);
    expect((await request(app).get('/wiki/Talk:Nothing?action=raw')).text).toBe('## First\n\nHello.\n');
    expect(wiki.stores.pages.byTitle(parseTitle('Talk:Nothing'))).toBeDefined();
  });
});
