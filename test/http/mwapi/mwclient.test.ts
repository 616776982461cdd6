/**
 * Python's mwclient (Debian's python3-mwclient, run with /usr/bin/python3), unchanged, against the
 * wiki's /w/api.php: it logs in, reads a page, saves, hits an edit conflict and sees it reported
 * as one, and lists a page's revisions. Skipped (loudly) where mwclient is not installed, except in CI.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPage, createUser, makeTestApp } from '../../helpers/app.js';
import { parseTitle } from '../../../server/wiki/title.js';

const PYTHON = '/usr/bin/python3';
const MWCLIENT = ['/usr/lib/python3/dist-packages/mwclient', '/usr/local/lib/python3/dist-packages/mwclient'].some((p) => existsSync(p));
if (!MWCLIENT && !process.env.CI) {
  console.warn('\n*** mwclient is not installed (apt-get install python3-mwclient): the tests of real MediaWiki clients are SKIPPED here. CI runs them. ***\n');
}

/** Runs `script` with mwclient connected to the wiki as `site`; returns what it printed as JSON lines. */
async function python(port: number, script: string): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-mwclient-'));
  const file = join(dir, 'run.py');
  writeFileSync(file, `import json, time, mwclient\nsite = mwclient.Site('127.0.0.1:${port}', path='/w/', scheme='http')\ndef out(x): print(json.dumps(x), flush=True)\n${script}\n`);
  try {
    const child = spawn(PYTHON, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`mwclient script exited with ${code}:\n${stderr}`);
    return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!MWCLIENT && !process.env.CI)('mwclient, unchanged', () => {
  const t = makeTestApp();
  const peerNetwork = () => t.wiki.stores.pages.byTitle(parseTitle('Peer network'))!;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    if (!MWCLIENT) throw new Error('mwclient is not installed, and CI is set: install python3-mwclient (apt-get install python3-mwclient).');
    createUser(t.wiki, { name: 'Botty', password: 'a password for the bot' });
    createUser(t.wiki, { name: 'Other editor', password: 'a password for the other' });
    createUser(t.wiki, { name: 'Patroller', password: 'a password for the admin', role: 'admin' });
    createUser(t.wiki, { name: 'Vandal', password: 'a password for the vandal' });
    createPage(t.wiki, { title: 'Peer network', source: 'A peer network is open.\n\nIts members are equals.\n' });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('logs in, reads a page, saves, and lists the revisions', async () => {
    const lines = await python(port, `
out({'version': list(site.version[:2]), 'writeapi': site.writeapi})
site.login('Botty', 'a password for the bot')
out({'user': site.username, 'groups': site.groups, 'can_edit': 'edit' in site.rights})
page = site.pages['Peer network']
text = page.text()
out({'exists': page.exists, 'text': text})
result = page.save(text + '\\nAdded by a bot.\\n', summary='bot test')
out({'result': result['result'], 'newrevid': result['newrevid']})
out({'revisions': [dict(r) for r in site.pages['Peer network'].revisions(prop='ids|user|comment|size')]})
out({'missing': site.pages['No such page here'].exists})
`);
    expect(lines[0]).toEqual({ version: [1, 39], writeapi: true });
    expect(lines[1]).toEqual({ user: 'Botty', groups: ['*', 'user'], can_edit: true });
    expect(lines[2]).toEqual({ exists: true, text: 'A peer network is open.\n\nIts members are equals.\n' });
    const saved = lines[3] as { result: string; newrevid: number };
    expect(saved.result).toBe('Success');
    expect(peerNetwork().latestId).toBe(saved.newrevid);
    expect(t.wiki.stores.content.get(t.wiki.stores.revisions.byId(saved.newrevid)!.contentId)).toBe('A peer network is open.\n\nIts members are equals.\n\nAdded by a bot.\n');
    expect(t.wiki.stores.revisions.byId(saved.newrevid)!.actor.name).toBe('Botty');
    const revisions = (lines[4] as { revisions: Array<{ revid: number; user: string; comment: string }> }).revisions;
    expect(revisions.map((r) => [r.user, r.comment])).toEqual([['Botty', 'bot test'], ['Peerwiki', 'edit 1']]);
    expect(lines[5]).toEqual({ missing: false });
  });

  it('reports an overlapping edit by someone else as an edit conflict, and saves nothing', async () => {
    const before = peerNetwork().latestId;
    const lines = await python(port, `
other = mwclient.Site('127.0.0.1:${port}', path='/w/', scheme='http')
other.login('Other editor', 'a password for the other')
site.login('Botty', 'a password for the bot')
mine = site.pages['Peer network']
text = mine.text()
time.sleep(1.1)
theirs = other.pages['Peer network']
theirs.save(theirs.text().replace('Its members are equals.', 'Its members are peers.'), summary='theirs')
try:
    mine.save(text.replace('Its members are equals.', 'Its members are friends.'), summary='mine')
    out({'conflict': False})
except mwclient.errors.EditError as e:
    out({'conflict': True})
`);
    expect(lines).toEqual([{ conflict: true }]);
    const page = peerNetwork();
    const latest = t.wiki.stores.revisions.byId(page.latestId)!;
    expect(latest.comment).toBe('theirs');
    expect(page.latestId).toBeGreaterThan(before);
  });

  it('lists recent changes with filters, searches, rolls back a vandal\'s edits and patrols', async () => {
    createPage(t.wiki, { title: 'Usenet', source: 'Usenet is a distributed discussion system.\n' });
    const lines = await python(port, `
vandal = mwclient.Site('127.0.0.1:${port}', path='/w/', scheme='http')
vandal.login('Vandal', 'a password for the vandal')
vp = vandal.pages['Usenet']
vp.save('SPAM SPAM SPAM', summary='lol')
vp = vandal.pages['Usenet']
vp.save('SPAM SPAM SPAM SPAM', summary='more', minor=True)
site.login('Patroller', 'a password for the admin')
from itertools import islice
# mwclient's limit is the size of each answer; it follows continue for the rest.
out({'rc': [[c['title'], c['user']] for c in islice(site.recentchanges(prop='title|user|ids', limit=2), 3)]})
out({'rc_not_minor': [c['comment'] for c in islice(site.recentchanges(prop='title|comment', show='!minor', limit=1), 2)]})
out({'search': [r['title'] for r in site.search('members')]})
r = site.post('rollback', title='Usenet', user='Vandal', token=site.get_token('rollback'))
out({'rollback': r['rollback']['title'], 'revid': r['rollback']['revid']})
try:
    site.post('rollback', title='Usenet', user='Vandal', token=site.get_token('rollback'))
except mwclient.errors.APIError as e:
    out({'again': e.code})
p = site.post('patrol', revid=r['rollback']['revid'] - 1, token=site.get_token('patrol'))
out({'patrolled': p['patrol']['revid']})
`);
    expect(lines[0]).toEqual({ rc: [['Usenet', 'Vandal'], ['Usenet', 'Vandal'], ['Usenet', 'Peerwiki']] });
    expect(lines[1]).toEqual({ rc_not_minor: ['lol', 'edit 1'] });
    expect(lines[2]).toEqual({ search: ['Peer network'] });
    const rolled = lines[3] as { rollback: string; revid: number };
    expect(rolled.rollback).toBe('Usenet');
    const usenet = t.wiki.stores.pages.byTitle(parseTitle('Usenet'))!;
    expect(usenet.latestId).toBe(rolled.revid);
    expect(t.wiki.stores.content.get(t.wiki.stores.revisions.byId(rolled.revid)!.contentId)).toBe('Usenet is a distributed discussion system.\n');
    expect(t.wiki.stores.revisions.byId(rolled.revid)!.tags).toContain('rollback');
    expect(lines[4]).toEqual({ again: 'alreadyrolled' });
    expect(lines[5]).toEqual({ patrolled: rolled.revid - 1 });
    expect(t.wiki.stores.revisions.byId(rolled.revid - 1)!.patrolled).toBe(true);
  });
});
