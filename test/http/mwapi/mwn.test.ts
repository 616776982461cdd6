/**
 * The npm bot framework mwn (a dev dependency), unchanged, against /w/api.php: it logs in, reads a
 * page, saves a long text (which it sends as multipart/form-data), edits with its conflict check
 * and sees an overlapping edit reported as editconflict, and lists revisions and recent changes
 * with continuation.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mwn } from 'mwn';
import { createPage, createUser, makeTestApp } from '../../helpers/app.js';
import { saveEdit } from '../../../server/wiki/edit.js';
import { parseTitle } from '../../../server/wiki/title.js';

describe('mwn, unchanged', () => {
  const t = makeTestApp();
  let server: Server;
  let bot: Mwn;
  const title = parseTitle('Mesh network');
  const textOf = (id: number) => t.wiki.stores.content.get(t.wiki.stores.revisions.byId(id)!.contentId);

  beforeAll(async () => {
    createUser(t.wiki, { name: 'Mwn bot', password: 'a password for mwn', role: 'admin' });
    createUser(t.wiki, { name: 'Spammer', password: 'a password for spam' });
    createPage(t.wiki, { title: 'Mesh network', source: 'Nodes relay for each other.\n\nNo central tower.\n', revisions: 3 });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    bot = new Mwn({ apiUrl: `http://127.0.0.1:${port}/w/api.php`, username: 'Mwn bot', password: 'a password for mwn', userAgent: 'peerwiki-tests', silent: true });
    await bot.login();
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('logs in and reads a page', async () => {
    expect(bot.loggedIn).toBe(true);
    const page = await bot.read('Mesh network');
    expect(page.revisions?.[0]?.content).toBe('Nodes relay for each other.\n\nNo central tower.\n');
  });

  it('saves a long text, which it sends as multipart/form-data', async () => {
    const long = `${'A paragraph about mesh radios, repeated. '.repeat(300)}\n`;
    expect(long.length).toBeGreaterThan(8000);
    const saved = await bot.save('Mesh network/Long', long, 'long text');
    expect(saved.result).toBe('Success');
    expect(textOf(saved.newrevid!)).toBe(long);
  });

  it('edits through its conflict check, and reports an overlapping edit made meanwhile as editconflict', async () => {
    const first = await bot.edit('Mesh network', (rev) => ({ text: rev.content.replace('No central tower.', 'No central tower at all.'), summary: 'clarify' }));
    expect(first.result).toBe('Success');
    expect(textOf(first.newrevid!)).toContain('No central tower at all.');
    const conflict = bot.edit('Mesh network', async (rev) => {
      // Someone else saves the same line while the bot works (a second later: timestamps are to the second).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const page = t.wiki.stores.pages.byTitle(title)!;
      saveEdit(t.wiki.stores, { title, source: rev.content.replace('No central tower at all.', 'Towers are optional.'), comment: 'theirs', baseId: page.latestId, actor: t.wiki.stores.actors.system() });
      return { text: rev.content.replace('No central tower at all.', 'There is never a tower.'), summary: 'mine' };
    }, { conflictRetries: 0 });
    await expect(conflict).rejects.toMatchObject({ code: 'editconflict' });
    expect(t.wiki.stores.revisions.byId(t.wiki.stores.pages.byTitle(title)!.latestId)!.comment).toBe('theirs');
  });

  it('lists a page\'s revisions and recent changes, following continue', async () => {
    const revids: number[] = [];
    for await (const json of bot.continuedQueryGen({ action: 'query', prop: 'revisions', titles: 'Mesh network', rvprop: 'ids|user', rvlimit: 2 })) {
      revids.push(...(json.query!.pages[0].revisions as Array<{ revid: number }>).map((r) => r.revid));
    }
    const all = t.wiki.stores.revisions.history(t.wiki.stores.pages.byTitle(title)!.id, { limit: 100 }).map((r) => r.id);
    expect(revids).toEqual(all);
    const changes: string[] = [];
    for await (const json of bot.continuedQueryGen({ action: 'query', list: 'recentchanges', rcprop: 'title|user', rclimit: 2 })) {
      changes.push(...(json.query!.recentchanges as Array<{ title: string }>).map((c) => c.title));
    }
    expect(changes.length).toBe(t.wiki.stores.revisions.recent({ limit: 100 }).length);
    expect(changes[0]).toBe('Mesh network');
  });

  it('filters recent changes, searches, rolls back a vandal\'s edits and patrols', async () => {
    const spammer = t.wiki.stores.actors.byName('Spammer')!;
    const usenet = parseTitle('Usenet');
    createPage(t.wiki, { title: 'Usenet', source: 'A distributed discussion system.\n' });
    let page = t.wiki.stores.pages.byTitle(usenet)!;
    saveEdit(t.wiki.stores, { title: usenet, source: 'BUY PILLS', comment: 'spam', baseId: page.latestId, actor: spammer });
    page = t.wiki.stores.pages.byTitle(usenet)!;
    saveEdit(t.wiki.stores, { title: usenet, source: 'BUY PILLS NOW', comment: 'spam again', baseId: page.latestId, actor: spammer, minor: true });
    const bySpammer = await bot.request({ action: 'query', list: 'recentchanges', rcuser: 'Spammer', rcshow: '!minor', rcprop: 'title|comment|user' });
    expect(bySpammer.query!.recentchanges).toEqual([{ type: 'edit', ns: 0, title: 'Usenet', comment: 'spam', user: 'Spammer' }]);
    const hits = await bot.search('relay', 10);
    expect(hits.map((h) => h.title)).toEqual(['Mesh network']);
    const rolled = await bot.rollback('Usenet', 'Spammer');
    expect(rolled.title).toBe('Usenet');
    const latest = t.wiki.stores.pages.byTitle(usenet)!.latestId;
    expect(textOf(latest)).toBe('A distributed discussion system.\n');
    await expect(bot.rollback('Usenet', 'Spammer')).rejects.toMatchObject({ code: 'alreadyrolled' });
    const spam = t.wiki.stores.revisions.byId(latest)!.parentId!;
    const patrolled = await bot.request({ action: 'patrol', revid: spam, token: bot.state.patroltoken });
    expect(patrolled.patrol.revid).toBe(spam);
    expect(t.wiki.stores.revisions.byId(spam)!.patrolled).toBe(true);
  });
});
