import { describe, expect, it, vi } from 'vitest';
import type { Request } from 'express';
import { createPage, createUser, makeTestApp } from '../helpers/app.js';
import { requestCan } from '../../server/http/can.js';
import { blockTarget, protectPage } from '../../server/wiki/admin.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Right } from '../../server/wiki/rights.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

type Who = 'nobody' | 'temp' | 'user' | 'admin' | 'blocked admin' | 'blocked user';

/** A wiki with one account of each kind, page P protected (full) and page Q open. */
function setup(anonEdits = true) {
  const { wiki } = makeTestApp({ anonEdits });
  const admin = createUser(wiki, { role: 'admin' });
  const actors: Record<Who, Actor | undefined> = {
    nobody: undefined,
    temp: wiki.stores.actors.createTemporary(),
    user: createUser(wiki),
    admin,
    'blocked admin': createUser(wiki, { role: 'admin' }),
    'blocked user': createUser(wiki),
  };
  createPage(wiki, { title: 'P' });
  createPage(wiki, { title: 'Q' });
  protectPage(wiki.stores, admin, parseTitle('P'), 'full', null, 'edit war');
  blockTarget(wiki.stores, admin, actors['blocked admin']!.name, null, 'test');
  blockTarget(wiki.stores, admin, actors['blocked user']!.name, null, 'test');
  return { wiki, actors };
}

const requestOf = (actor: Actor | undefined, ip = '192.0.2.1') => ({ actor, ip }) as unknown as Request;
const canOf = (wiki: Wiki, actor: Actor | undefined, anonEdits = true) => requestCan(wiki.stores, anonEdits, requestOf(actor));

describe('the request\'s can', () => {
  const { wiki, actors } = setup();
  it.each<{ name: string; who: Who; right: Right; page?: string; want: boolean }>([
    { name: 'anyone reads', who: 'nobody', right: 'read', want: true },
    { name: 'nobody edits an open page (anonymous edits on)', who: 'nobody', right: 'edit', page: 'Q', want: true },
    { name: 'a user may not edit a fully protected page', who: 'user', right: 'edit', page: 'P', want: false },
    { name: 'an admin edits a fully protected page', who: 'admin', right: 'edit', page: 'P', want: true },
    { name: 'an admin sees addresses', who: 'admin', right: 'view-ip', want: true },
    { name: 'a blocked admin still sees addresses', who: 'blocked admin', right: 'view-ip', want: true },
    { name: 'a blocked admin may not roll back', who: 'blocked admin', right: 'rollback', want: false },
    { name: 'a user does not see addresses', who: 'user', right: 'view-ip', want: false },
    { name: 'a temporary account does not see addresses', who: 'temp', right: 'view-ip', want: false },
    { name: 'a blocked user may not edit', who: 'blocked user', right: 'edit', page: 'Q', want: false },
    { name: 'a blocked user may not register another account', who: 'blocked user', right: 'register', want: true },
    { name: 'only admins delete', who: 'user', right: 'delete', page: 'Q', want: false },
  ])('$name', ({ who, right, page, want }) => {
    expect(canOf(wiki, actors[who])(right, page === undefined ? undefined : parseTitle(page))).toBe(want);
  });

  it('judges registering by the address alone: the account asking is not the one to be made', () => {
    // The block is on the blocked user's account, not on their address: a new account may be made from it.
    expect(() => canOf(wiki, actors['blocked user']).require('register')).not.toThrow();
    blockTarget(wiki.stores, actors.admin!, '192.0.2.1', null, 'address');
    expect(() => canOf(wiki, undefined).require('register')).toThrow(/You are blocked from creating accounts/);
  });
});

describe('require', () => {
  it.each<{ name: string; who: Who; right: Right; page?: string; code: string; message: RegExp }>([
    { name: 'nobody deletes: log in', who: 'nobody', right: 'delete', code: 'unauthorized', message: /Log in as an admin to delete/ },
    { name: 'a user deletes: forbidden', who: 'user', right: 'delete', code: 'forbidden', message: /Only admins may delete/ },
    { name: 'a protected page', who: 'user', right: 'edit', page: 'P', code: 'forbidden', message: /This page is protected/ },
    { name: 'a blocked user', who: 'blocked user', right: 'edit', page: 'Q', code: 'forbidden', message: /You are blocked/ },
  ])('refuses $name', ({ who, right, page, code, message }) => {
    const { wiki, actors } = setup();
    let thrown: unknown;
    try {
      canOf(wiki, actors[who]).require(right, page === undefined ? undefined : parseTitle(page));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('follows WIKI_ANON_EDITS', () => {
    const { wiki } = setup(false);
    const can = canOf(wiki, undefined, false);
    expect(can.anonEdits).toBe(false);
    expect(can('edit', parseTitle('Q'))).toBe(false);
    expect(() => can.require('edit', parseTitle('Q'))).toThrow(/editing without an account is turned off/);
  });

  it('reads the actor when asked, so an account made during the request counts', () => {
    const { wiki, actors } = setup();
    const req = requestOf(undefined);
    const can = requestCan(wiki.stores, true, req);
    expect(can('view-ip')).toBe(false);
    req.actor = actors.admin;
    expect(can('view-ip')).toBe(true);
  });

  it('looks facts up only when a rule needs them, and once per request', () => {
    const { wiki: w } = setup();
    const blocks = vi.spyOn(w.stores.blocks, 'activeFor');
    const protections = vi.spyOn(w.stores.protection, 'get');
    const can = canOf(w, undefined);
    // Admin tools for an anonymous reader: refused without reading blocks or protection.
    expect(can('rollback')).toBe(false);
    expect(can('view-ip')).toBe(false);
    expect(blocks).not.toHaveBeenCalled();
    expect(protections).not.toHaveBeenCalled();
    // Editing two pages: the blocks once, each page's protection once.
    expect(can('edit', parseTitle('P'))).toBe(false);
    expect(can('edit', parseTitle('Q'))).toBe(true);
    expect(can('edit', parseTitle('P'))).toBe(false);
    expect(blocks).toHaveBeenCalledTimes(1);
    expect(protections).toHaveBeenCalledTimes(2);
  });
});
