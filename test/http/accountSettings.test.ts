import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { browser, createPage, createUser, loggedInBrowser, makeTestApp, tokenFor } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { setWatched } from '../../server/wiki/watchlist.js';
import { parseTitle } from '../../server/wiki/title.js';
import { MAIL_REQUESTS_PER_HOUR } from '../../server/http/limits.js';

const password = 'correct horse battery';
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

async function withMail(o: { auth?: boolean } = {}) {
  smtp = await startSmtp(o.auth ? { user: 'wiki', pass: 's3cret' } : undefined);
  const t = makeTestApp({ smtpUrl: smtp.url, mailFrom: 'Peerwiki <wiki@example.org>', publicUrl: 'https://wiki.example.org' });
  return { ...t, smtp };
}

const csrfOf = (html: string) => /<meta name="csrf-token" content="([^"]+)"/.exec(html)![1]!;
const tokenIn = (text: string, path: string) => new RegExp(`https://wiki\\.example\\.org${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];

/** Set and confirm `email` for the logged-in browser's account, through the pages. */
async function confirmAddress(agent: ReturnType<typeof request.agent>, csrf: string, s: TestSmtp, email: string) {
  const before = s.received.length;
  const saved = await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email, watch_edited: '1' });
  expect(saved.status).toBe(200);
  expect(saved.text).toContain('A confirmation link was sent to the new address');
  const [mail] = (await s.waitFor(before + 1)).slice(before);
  expect(mail!.to).toEqual([email]);
  const token = tokenIn(mail!.text, '/special/confirm-email')!;
  const page = await agent.get(`/special/confirm-email?token=${token}`);
  expect(page.text).toContain('Confirm this address');
  const done = await agent.post('/special/confirm-email').type('form').send({ csrf: csrfOf(page.text), token });
  expect(done.text).toContain('Your email address is confirmed');
}

describe('change password in the browser', () => {
  it('needs the old password, ends every other session, and keeps this browser logged in', async () => {
    const { app, wiki } = makeTestApp();
    const ann = createUser(wiki, { name: 'Ann' });
    const elsewhere = `Bearer ${tokenFor(wiki, ann)}`;
    const { agent, csrf } = await loggedInBrowser(app, 'Ann', password, '/special/change-password');

    const wrong = await agent.post('/special/change-password').type('form').send({ csrf, old_password: 'not it at all', new_password: 'a brand new passphrase' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('old_password is wrong');
    const weak = await agent.post('/special/change-password').type('form').send({ csrf, old_password: password, new_password: 'short' });
    expect(weak.status).toBe(400);

    const ok = await agent.post('/special/change-password').type('form').send({ csrf, old_password: password, new_password: 'a brand new passphrase' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Your password is changed');
    expect((await agent.get('/special/preferences')).status).toBe(200);
    expect((await request(app).get('/api/v1/me/notifications').set('authorization', elsewhere)).status).toBe(401);
    await request(app).post('/api/v1/auth/login').send({ username: 'Ann', password: 'a brand new passphrase' }).expect(200);
    await request(app).post('/api/v1/auth/login').send({ username: 'Ann', password }).expect(401);
  });

  it('asks people who are not logged in to log in', async () => {
    const { app } = makeTestApp();
    expect((await request(app).get('/special/change-password')).status).toBe(401);
    expect((await request(app).get('/special/preferences')).status).toBe(401);
  });
});

describe('preferences', () => {
  it('keeps "watch pages I edit" and refuses mail notifications without a confirmed address; says when the wiki sends no mail', async () => {
    const { app, wiki } = makeTestApp();
    const ann = createUser(wiki, { name: 'Ann' });
    const { agent, csrf } = await loggedInBrowser(app, 'Ann', password, '/special/preferences');
    const page = await agent.get('/special/preferences');
    expect(page.text).toContain('This wiki sends no mail');
    expect(page.text).toMatch(/name="watch_edited" value="1" checked/);

    const saved = await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email_notifications: '1' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Notifications by email need a confirmed address first');
    expect(wiki.stores.actors.preferences(ann.id)).toEqual({ email: null, emailNotifications: false, watchEdited: false });

    const withEmail = await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email: 'ann@example.org' });
    expect(withEmail.status).toBe(400);
    expect(withEmail.text).toContain('This wiki sends no mail');
    expect(wiki.stores.actors.preferences(ann.id).email).toBeNull();
  });

  it('uses a new address only after the link sent to it is followed, once', async () => {
    const { app, wiki, smtp: s } = await withMail();
    const ann = createUser(wiki, { name: 'Ann' });
    const { agent, csrf } = await loggedInBrowser(app, 'Ann', password, '/special/preferences');
    const bad = await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('write an address such as name@example.org');

    await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email: 'Ann@Example.org' }).expect(200);
    expect(wiki.stores.actors.preferences(ann.id).email).toBeNull();
    const [mail] = await s.waitFor(1);
    expect(mail).toMatchObject({ to: ['ann@example.org'], from: 'wiki@example.org', subject: 'Confirm your email address on Peerwiki' });
    expect((await agent.get('/special/preferences')).text).toContain('A confirmation link was sent to ann@example.org');
    const token = tokenIn(mail!.text, '/special/confirm-email')!;
    // Opening the link uses nothing up (mail scanners open links); the button does.
    await request(app).get(`/special/confirm-email?token=${token}`).expect(200);
    const { agent: other, csrf: otherCsrf } = await browser(app, `/special/confirm-email?token=${token}`);
    await other.post('/special/confirm-email').type('form').send({ csrf: otherCsrf, token }).expect(200);
    expect(wiki.stores.actors.preferences(ann.id).email).toBe('ann@example.org');
    const again = await other.post('/special/confirm-email').type('form').send({ csrf: otherCsrf, token });
    expect(again.status).toBe(400);
    expect(again.text).toContain('This link no longer works');

    // Removing it is at once, and turns mail about notifications off.
    await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email: '', email_notifications: '1' }).expect(200);
    expect(wiki.stores.actors.preferences(ann.id)).toMatchObject({ email: null, emailNotifications: false });
  });

  it('mails notifications to those who asked, once per page until they look', async () => {
    const { app, wiki, smtp: s } = await withMail({ auth: true });
    const ann = createUser(wiki, { name: 'Ann' });
    const bob = createUser(wiki, { name: 'Bob' });
    createPage(wiki, { title: 'Usenet' });
    const { agent, csrf } = await loggedInBrowser(app, 'Ann', password, '/special/preferences');
    await confirmAddress(agent, csrf, s, 'ann@example.org');
    await agent.post('/special/preferences').type('form').send({ csrf, form: '1', email: 'ann@example.org', email_notifications: '1', watch_edited: '1' }).expect(200);
    setWatched(wiki.stores, ann, parseTitle('Usenet'), true);
    const sent = s.received.length;

    const edit = (title: string, source: string) => {
      const page = wiki.stores.pages.byTitle(parseTitle(title));
      return saveEdit(wiki.stores, { title: parseTitle(title), source, comment: '', baseId: page?.latestId ?? null, actor: bob });
    };
    const first = edit('Usenet', 'Changed once.');
    edit('Usenet', 'Changed twice.');
    edit('User talk:Ann', 'Hello Ann.');
    const mails = (await s.waitFor(sent + 2)).slice(sent);
    await wiki.mail.idle();
    expect(s.received.length).toBe(sent + 2);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Bob wrote on your talk page on Peerwiki', 'Usenet was changed by Bob on Peerwiki']);
    const usenet = mails.find((m) => m.subject.startsWith('Usenet'))!;
    expect(usenet.text).toContain(`https://wiki.example.org/wiki/Usenet?diff=${first.revision.id}`);
    expect(usenet.text).toContain('https://wiki.example.org/special/preferences');

    // Once Ann has looked at her notifications, the next change mails again.
    await agent.get('/special/notifications').expect(200);
    edit('Usenet', 'Changed a third time.');
    await s.waitFor(sent + 3);
    expect(s.received.at(-1)!.subject).toBe('Usenet was changed by Bob on Peerwiki');
  });
});

describe('forgot your password', () => {
  it('says plainly when the wiki sends no mail', async () => {
    const { app } = makeTestApp();
    const page = await request(app).get('/special/reset-password');
    expect(page.text).toContain('This wiki sends no mail');
    expect(page.text).not.toContain('Send reset link');
    const { agent, csrf } = await browser(app, '/login');
    expect((await request(app).get('/login')).text).toContain('href="/special/reset-password">Forgot your password?');
    const post = await agent.post('/special/reset-password').type('form').send({ csrf, username: 'Ann' });
    expect(post.status).toBe(400);
    expect(post.text).toContain('This wiki sends no mail');
  });

  it('sends a single-use link to the confirmed address, answering the same for any name or address', async () => {
    const { app, wiki, smtp: s } = await withMail();
    const ann = createUser(wiki, { name: 'Ann' });
    createUser(wiki, { name: 'Nomail' });
    const signedIn = await loggedInBrowser(app, 'Ann', password, '/special/preferences');
    await confirmAddress(signedIn.agent, signedIn.csrf, s, 'ann@example.org');
    const sent = s.received.length;

    const { agent, csrf } = await browser(app, '/special/reset-password');
    const answers = [];
    for (const who of [{ username: 'Nobody at all' }, { username: 'Nomail' }, { email: 'nobody@example.org' }, { username: 'ann' }]) {
      const res = await agent.post('/special/reset-password').type('form').send({ csrf, ...who });
      answers.push([res.status, /If an account with that name or address has a confirmed email address/.test(res.text)]);
    }
    expect(answers).toEqual([[200, true], [200, true], [200, true], [200, true]]);
    const [mail] = (await s.waitFor(sent + 1)).slice(sent);
    await wiki.mail.idle();
    expect(s.received.length).toBe(sent + 1);
    expect(mail).toMatchObject({ to: ['ann@example.org'], subject: 'Reset your Peerwiki password' });
    const token = tokenIn(mail!.text, '/special/reset-password')!;
    expect(wiki.db.prepare('SELECT count(*) AS n FROM account_link WHERE hash = ?').get(Buffer.from(token)) as { n: number }).toEqual({ n: 0 });

    const form = await agent.get(`/special/reset-password?token=${token}`);
    expect(form.text).toContain('New password for Ann');
    const weak = await agent.post('/special/reset-password').type('form').send({ csrf, token, new_password: 'short' });
    expect(weak.status).toBe(400);
    const done = await agent.post('/special/reset-password').type('form').send({ csrf, token, new_password: 'a reset passphrase' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/special/preferences?password=reset');
    expect((await agent.get('/special/preferences?password=reset')).text).toContain('Your new password is set');
    // The old session ended; the link is used up; the new password works.
    expect((await signedIn.agent.get('/special/preferences')).status).toBe(401);
    expect((await agent.post('/special/reset-password').type('form').send({ csrf, token, new_password: 'another passphrase!' })).text).toContain('This link no longer works');
    await request(app).post('/api/v1/auth/login').send({ username: 'Ann', password: 'a reset passphrase' }).expect(200);
    expect(wiki.stores.actors.byId(ann.id)!.tokenVersion).toBeGreaterThan(0);
  });

  it('lets a reset link expire after an hour, and only the newest link work', async () => {
    const { app, wiki, smtp: s } = await withMail();
    createUser(wiki, { name: 'Ann' });
    const signedIn = await loggedInBrowser(app, 'Ann', password, '/special/preferences');
    await confirmAddress(signedIn.agent, signedIn.csrf, s, 'ann@example.org');
    const { agent, csrf } = await browser(app, '/special/reset-password');
    await agent.post('/special/reset-password').type('form').send({ csrf, email: 'ANN@example.org' }).expect(200);
    await agent.post('/special/reset-password').type('form').send({ csrf, username: 'Ann' }).expect(200);
    const mails = await s.waitFor(3);
    const older = tokenIn(mails[1]!.text, '/special/reset-password')!;
    const newer = tokenIn(mails[2]!.text, '/special/reset-password')!;
    expect((await agent.get(`/special/reset-password?token=${older}`)).status).toBe(400);
    expect((await agent.get(`/special/reset-password?token=${newer}`)).status).toBe(200);
    wiki.db.prepare(`UPDATE account_link SET expires_at = '2000-01-01T00:00:00.000Z'`).run();
    expect((await agent.get(`/special/reset-password?token=${newer}`)).status).toBe(400);
    expect((await agent.get('/special/reset-password?token=x')).status).toBe(400);
  });

  it('limits how many links one address may ask for', async () => {
    const { app } = await withMail();
    const { agent, csrf } = await browser(app, '/special/reset-password');
    for (let i = 0; i < MAIL_REQUESTS_PER_HOUR; i++) await agent.post('/special/reset-password').type('form').send({ csrf, username: `Someone ${i}` }).expect(200);
    const over = await agent.post('/special/reset-password').type('form').send({ csrf, username: 'One more' });
    expect(over.status).toBe(429);
    expect(over.text).toContain('Too many reset links');
  });
});
