import { describe, expect, it } from 'vitest';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { requireRight, rightsContext, type Who } from '../../server/wiki/guard.js';
import { blockTarget, protectPage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';

const T = parseTitle;
const NOW = '2030-06-01T00:00:00.000Z';
const LATER = '2030-07-01T00:00:00.000Z';

/** A wiki with "Page" (unprotected), "Locked" (fully protected), Alice, Vandal (blocked) and an admin. */
function setup() {
  const { wiki } = makeTestApp();
  const s = wiki.stores;
  const admin = createUser(wiki, { name: 'Admin', role: 'admin' });
  const alice = createUser(wiki, { name: 'Alice' });
  const vandal = createUser(wiki, { name: 'Vandal' });
  createPage(wiki, { title: 'Page' });
  createPage(wiki, { title: 'Locked' });
  protectPage(s, admin, T('Locked'), 'full', null, 'war');
  const accountBlock = blockTarget(s, admin, 'Vandal', null, 'spam');
  const rangeBlock = blockTarget(s, admin, '203.0.113.0/24', null, 'open proxy', { anonOnly: false });
  const schoolBlock = blockTarget(s, admin, '192.0.2.0/24', null, 'school');
  return { wiki, s, admin, alice, vandal, accountBlock, rangeBlock, schoolBlock };
}
type Ctx = ReturnType<typeof setup>;

describe('rightsContext', () => {
  it.each<{ name: string; who: (c: Ctx) => Who; block: (c: Ctx) => number | undefined }>([
    { name: 'an account with no block', who: (c) => ({ actor: c.alice, ip: '198.51.100.1' }), block: () => undefined },
    { name: 'a blocked account, from any address', who: (c) => ({ actor: c.vandal, ip: '198.51.100.1' }), block: (c) => c.accountBlock.id },
    { name: 'a blocked account with no address known', who: (c) => ({ actor: c.vandal, ip: undefined }), block: (c) => c.accountBlock.id },
    { name: 'anyone inside a blocked range', who: () => ({ actor: undefined, ip: '203.0.113.77' }), block: (c) => c.rangeBlock.id },
    { name: 'a registered user inside a blocked range', who: (c) => ({ actor: c.alice, ip: '203.0.113.77' }), block: (c) => c.rangeBlock.id },
    { name: 'another spelling of an address in the range', who: () => ({ actor: undefined, ip: '::ffff:203.0.113.5' }), block: (c) => c.rangeBlock.id },
    { name: 'someone not logged in inside a range blocked for anonymous users', who: () => ({ actor: undefined, ip: '192.0.2.9' }), block: (c) => c.schoolBlock.id },
    { name: 'a registered user inside a range blocked for anonymous users only', who: (c) => ({ actor: c.alice, ip: '192.0.2.9' }), block: () => undefined },
    { name: 'an address just outside the range', who: () => ({ actor: undefined, ip: '203.0.114.0' }), block: () => undefined },
    { name: 'an admin inside a blocked range (shared address)', who: (c) => ({ actor: c.admin, ip: '203.0.113.77' }), block: () => undefined },
    { name: 'an address that does not parse', who: () => ({ actor: undefined, ip: 'not an address' }), block: () => undefined },
  ])('finds the block in force for $name', ({ who, block }) => {
    const c = setup();
    expect(rightsContext(c.s, true, who(c), undefined, NOW).block?.id).toBe(block(c));
  });

  it('stops an admin whose own account is blocked', () => {
    const c = setup();
    const other = createUser(c.wiki, { name: 'Other admin', role: 'admin' });
    const b = blockTarget(c.s, other, 'Admin', null, '');
    expect(rightsContext(c.s, true, { actor: c.admin, ip: '203.0.113.77' }, undefined, NOW).block?.id).toBe(b.id);
  });

  it.each([
    { name: 'a protected page', title: 'Locked', level: 'full' },
    { name: 'an unprotected page', title: 'Page', level: undefined },
    { name: 'a page that does not exist', title: 'Missing', level: undefined },
  ])('carries the protection of $name', ({ title, level }) => {
    const c = setup();
    expect(rightsContext(c.s, false, { actor: c.alice, ip: undefined }, T(title), NOW).protection?.level).toBe(level);
  });

  it('passes anonEdits through, and drops a protection or block once expired', () => {
    const c = setup();
    protectPage(c.s, c.admin, T('Page'), 'semi', LATER, '');
    blockTarget(c.s, c.admin, 'Alice', LATER, '');
    const who = { actor: c.alice, ip: undefined };
    expect(rightsContext(c.s, true, who, T('Page'), NOW)).toMatchObject({ anonEdits: true, protection: { level: 'semi' }, block: { target: 'Alice' } });
    expect(rightsContext(c.s, false, who, T('Page'), LATER)).toEqual({ anonEdits: false, protection: undefined, block: undefined });
  });
});

describe('requireRight', () => {
  it.each<{ name: string; who: (c: Ctx) => Who; right: 'edit' | 'protect' | 'read'; title?: string; anon?: boolean; error?: string }>([
    { name: 'anyone reads', who: () => ({ actor: undefined, ip: '203.0.113.1' }), right: 'read' },
    { name: 'a user edits a page', who: (c) => ({ actor: c.alice, ip: undefined }), right: 'edit', title: 'Page' },
    { name: 'anonymous edit with anon edits on', who: () => ({ actor: undefined, ip: '198.51.100.1' }), right: 'edit', title: 'Page', anon: true },
    { name: 'anonymous edit with anon edits off', who: () => ({ actor: undefined, ip: '198.51.100.1' }), right: 'edit', title: 'Page', anon: false, error: 'unauthorized' },
    { name: 'a user edits a fully protected page', who: (c) => ({ actor: c.alice, ip: undefined }), right: 'edit', title: 'Locked', error: 'forbidden' },
    { name: 'an admin edits a fully protected page', who: (c) => ({ actor: c.admin, ip: undefined }), right: 'edit', title: 'Locked' },
    { name: 'a blocked account edits', who: (c) => ({ actor: c.vandal, ip: undefined }), right: 'edit', title: 'Page', error: 'forbidden' },
    { name: 'an address in a blocked range edits', who: () => ({ actor: undefined, ip: '203.0.113.9' }), right: 'edit', title: 'Page', anon: true, error: 'forbidden' },
    { name: 'a user protects', who: (c) => ({ actor: c.alice, ip: undefined }), right: 'protect', title: 'Page', error: 'forbidden' },
    { name: 'nobody logged in protects', who: () => ({ actor: undefined, ip: undefined }), right: 'protect', title: 'Page', error: 'unauthorized' },
    { name: 'an admin protects from a blocked range', who: (c) => ({ actor: c.admin, ip: '203.0.113.9' }), right: 'protect', title: 'Page' },
  ])('$name', ({ who, right, title, anon, error }) => {
    const c = setup();
    const act = () => requireRight(c.s, anon ?? true, who(c), right, title === undefined ? undefined : T(title));
    if (error === undefined) expect(act).not.toThrow();
    else expect(act).toThrow(expect.objectContaining({ code: error }));
  });

  it('says why, with the block\'s reason', () => {
    const c = setup();
    expect(() => requireRight(c.s, true, { actor: c.vandal, ip: undefined }, 'edit', T('Page'))).toThrow(/blocked with no end date: spam/);
  });
});
