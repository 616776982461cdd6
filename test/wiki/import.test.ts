import { describe, expect, it } from 'vitest';
import { createUser, makeTestApp, revisionCount } from '../helpers/app.js';
import { HistoryImporter, firstDifference, type IncomingRevision } from '../../server/wiki/import.js';
import { DumpStore } from '../../server/db/dump.js';
import { sha1Of } from '../../server/db/content.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { ActorKind } from '../../server/wiki/types.js';

const T = parseTitle;
const key = (day: number, text: string) => ({ timestamp: `2020-01-0${day}T00:00:00.000Z`, sha1: sha1Of(text) });
const rev = (day: number, source: string, author = 'Importee', authorKind: ActorKind = 'user', more: Partial<IncomingRevision> = {}): IncomingRevision => ({
  ...key(day, source), source, author, authorKind, comment: `day ${day}`, minor: false, tags: [], ...more,
});

function setup() {
  const { wiki } = makeTestApp();
  return { wiki, s: wiki.stores, importer: new HistoryImporter(wiki.stores, new DumpStore(wiki.db)) };
}

describe('firstDifference', () => {
  it.each([
    { name: 'same histories', here: [key(1, 'a'), key(2, 'b')], incoming: [key(1, 'a'), key(2, 'b')], want: undefined },
    { name: 'nothing here', here: [], incoming: [key(1, 'a')], want: undefined },
    { name: 'import extends the history here', here: [key(1, 'a')], incoming: [key(1, 'a'), key(2, 'b')], want: undefined },
    { name: 'more edits here than in the import', here: [key(1, 'a'), key(2, 'b')], incoming: [key(1, 'a')], want: undefined },
    { name: 'another text at the same time', here: [key(1, 'a'), key(2, 'b')], incoming: [key(1, 'a'), key(2, 'c')], want: 1 },
    { name: 'the same text at another time', here: [key(1, 'a')], incoming: [key(2, 'a')], want: 0 },
  ])('$name', ({ here, incoming, want }) => {
    expect(firstDifference(here, incoming)).toBe(want);
  });
});

describe('HistoryImporter.importPage', () => {
  it('creates the page with each revision as given, parent by parent, and the latest indexed', () => {
    const { wiki, s, importer } = setup();
    const result = importer.importPage(T('Imported'), [
      rev(1, 'First [[Old link]].', 'Alice', 'user', { minor: false, tags: ['new'] }),
      rev(2, '#REDIRECT [[Elsewhere]]', 'Bob', 'user', { minor: true, comment: 'to a redirect' }),
    ]);
    expect(result).toEqual({ added: 2, skipped: 0, created: true, accounts: 2 });
    const page = s.pages.byTitle(T('Imported'))!;
    expect(page.isRedirect).toBe(true);
    const latest = s.revisions.byId(page.latestId)!;
    const first = s.revisions.byId(latest.parentId!)!;
    // The file's tags kept, and those a save would give added: Alice's first edit here is a new user's.
    expect(first).toMatchObject({ parentId: null, timestamp: '2020-01-01T00:00:00.000Z', actor: { name: 'Alice' }, minor: false, tags: ['new', 'new-user'] });
    expect(latest).toMatchObject({ timestamp: '2020-01-02T00:00:00.000Z', actor: { name: 'Bob' }, minor: true, comment: 'to a redirect', sha1: sha1Of('#REDIRECT [[Elsewhere]]') });
    expect(wiki.db.prepare('SELECT to_title FROM link WHERE from_page = ?').pluck().all(page.id)).toEqual(['Elsewhere']);
    expect(importer.historyHere(T('Imported'))).toEqual([key(1, 'First [[Old link]].'), key(2, '#REDIRECT [[Elsewhere]]')]);
  });

  it('makes missing authors once, as their kind, without a password; Peerwiki is the wiki itself', () => {
    const { s, importer } = setup();
    const result = importer.importPage(T('Authors'), [
      rev(1, 'a', 'New person'), rev(2, 'b', '~2020-1', 'temp'), rev(3, 'c', 'New person'), rev(4, 'd', 'Peerwiki', 'system'),
    ]);
    // The wiki's own account is there already: imported history is marked patrolled by it.
    expect(result.accounts).toBe(2);
    expect(s.actors.byName('New person')).toMatchObject({ kind: 'user', role: 'user', editCount: 2 });
    expect(s.actors.passwordHash(s.actors.byName('New person')!.id)).toBeFalsy();
    expect(importer.accountKind('~2020-1')).toBe('temp');
    expect(s.revisions.byId(s.pages.byTitle(T('Authors'))!.latestId)!.actor.id).toBe(s.actors.system().id);
  });

  it('skips what is already here and adds only what follows', () => {
    const { s, importer } = setup();
    importer.importPage(T('Twice'), [rev(1, 'a'), rev(2, 'b')]);
    const latest = s.pages.byTitle(T('Twice'))!.latestId;
    expect(importer.importPage(T('Twice'), [rev(1, 'a'), rev(2, 'b')])).toEqual({ added: 0, skipped: 2, created: false, accounts: 0 });
    expect(s.pages.byTitle(T('Twice'))!.latestId).toBe(latest);
    expect(importer.importPage(T('Twice'), [rev(1, 'a'), rev(2, 'b'), rev(3, 'c')])).toEqual({ added: 1, skipped: 2, created: false, accounts: 0 });
    expect(s.revisions.byId(s.pages.byTitle(T('Twice'))!.latestId)!.parentId).toBe(latest);
  });

  it.each([
    { name: 'a history that differs here', code: 'page_exists', revisions: [rev(1, 'a'), rev(2, 'other'), rev(3, 'c')] },
    { name: 'an author who is another kind of account here', code: 'invalid_input', revisions: [rev(1, 'a'), rev(2, 'b'), rev(3, 'c', 'Registered', 'temp')] },
  ])('refuses $name and writes nothing of the page', ({ code, revisions }) => {
    const { wiki, s, importer } = setup();
    createUser(wiki, { name: 'Registered' });
    importer.importPage(T('Page'), [rev(1, 'a'), rev(2, 'b')]);
    const before = { page: s.pages.byTitle(T('Page')), revisions: revisionCount(wiki) };
    expect(() => importer.importPage(T('Page'), [...revisions, rev(4, 'd', 'Newcomer')])).toThrow(expect.objectContaining({ code }));
    expect({ page: s.pages.byTitle(T('Page')), revisions: revisionCount(wiki) }).toEqual(before);
  });

  it('forgets accounts made in a rolled-back import, and makes them again next time', () => {
    const { wiki, s, importer } = setup();
    createUser(wiki, { name: 'Registered' });
    expect(() => importer.importPage(T('Page'), [rev(1, 'a', 'Newcomer'), rev(2, 'b', 'Registered', 'temp')])).toThrow();
    expect(s.actors.byName('Newcomer')).toBeUndefined();
    const result = importer.importPage(T('Page'), [rev(1, 'a', 'Newcomer')]);
    expect(result).toMatchObject({ added: 1, accounts: 1 });
    expect(s.revisions.byId(s.pages.byTitle(T('Page'))!.latestId)!.actor.name).toBe('Newcomer');
  });
});
