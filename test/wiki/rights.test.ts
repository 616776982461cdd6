import { describe, expect, it } from 'vitest';
import { can, refusal, type Right } from '../../server/wiki/rights.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Block, Protection } from '../../server/db/admin.js';

const actor = (o: Partial<Actor>): Actor => ({ id: 1, name: 'X', kind: 'user', role: 'user', tokenVersion: 0, editCount: 0, createdAt: '', ...o });
const anon = undefined;
const temp = actor({ kind: 'temp', name: '~2026-1' });
const fresh = actor({});
const established = actor({ editCount: 10 });
const admin = actor({ role: 'admin' });
const semi: Protection = { level: 'semi', expiry: null, reason: '' };
const full: Protection = { level: 'full', expiry: null, reason: '' };
const block: Block = { id: 1, actorId: 1, ip: null, target: 'X', expiry: null, reason: 'spam', byActor: 2, createdAt: '', anonOnly: false, autoblock: true, allowUsertalk: true, parentId: null };

describe('can', () => {
  it.each([
    { name: 'anyone reads', who: anon, right: 'read', ctx: {}, want: true },
    { name: 'anonymous edits when allowed', who: anon, right: 'edit', ctx: {}, want: true },
    { name: 'anonymous cannot edit when turned off', who: anon, right: 'edit', ctx: { anonEdits: false }, want: false },
    { name: 'temporary account cannot edit when turned off', who: temp, right: 'edit', ctx: { anonEdits: false }, want: false },
    { name: 'user edits when anonymous editing is off', who: fresh, right: 'edit', ctx: { anonEdits: false }, want: true },
    { name: 'temporary account cannot edit semi-protected', who: temp, right: 'edit', ctx: { protection: semi }, want: false },
    { name: 'user edits semi-protected', who: fresh, right: 'edit', ctx: { protection: semi }, want: true },
    { name: 'user cannot edit fully protected', who: established, right: 'edit', ctx: { protection: full }, want: false },
    { name: 'admin edits fully protected', who: admin, right: 'edit', ctx: { protection: full }, want: true },
    { name: 'blocked user cannot edit', who: fresh, right: 'edit', ctx: { block }, want: false },
    { name: 'blocked address cannot register', who: anon, right: 'register', ctx: { block }, want: false },
    { name: 'new user cannot move', who: fresh, right: 'move', ctx: {}, want: false },
    { name: 'user with 10 edits moves unprotected', who: established, right: 'move', ctx: {}, want: true },
    { name: 'user with 10 edits cannot move protected', who: established, right: 'move', ctx: { protection: semi }, want: false },
    { name: 'admin moves protected', who: admin, right: 'move', ctx: { protection: full }, want: true },
    { name: 'admin may move without a redirect', who: admin, right: 'suppress-redirect', ctx: {}, want: true },
    { name: 'user with 10 edits may not move without a redirect', who: established, right: 'suppress-redirect', ctx: {}, want: false },
    { name: 'blocked admin cannot edit', who: admin, right: 'edit', ctx: { block }, want: false },
    ...(['protect', 'delete', 'undelete', 'block', 'rollback', 'patrol', 'move', 'suppress-redirect'] as Right[]).map((right) => ({
      name: `blocked admin may not ${right}`, who: admin, right, ctx: { block }, want: false,
    })),
    { name: 'blocked admin still sees addresses', who: admin, right: 'view-ip', ctx: { block }, want: true },
    ...(['protect', 'delete', 'undelete', 'block', 'rollback', 'view-ip'] as Right[]).flatMap((right) => [
      { name: `admin may ${right}`, who: admin, right, ctx: {}, want: true },
      { name: `user may not ${right}`, who: established, right, ctx: {}, want: false },
      { name: `temporary account may not ${right}`, who: temp, right, ctx: {}, want: false },
    ]),
  ])('$name', ({ who, right, ctx, want }) => {
    expect(can(who, right as Right, { anonEdits: true, ...ctx })).toBe(want);
  });

  it('explains refusals: blocks with reason and end, protection, login', () => {
    expect(refusal(fresh, 'edit', { anonEdits: true, block: { ...block, expiry: '2030-01-01T00:00:00.000Z' } })!.message).toMatch(/blocked until 2030-01-01 00:00 UTC: spam/);
    expect(refusal(temp, 'edit', { anonEdits: true, protection: semi })).toMatchObject({ status: 401, message: expect.stringMatching(/only registered users/) });
    expect(refusal(fresh, 'edit', { anonEdits: true, protection: full })).toMatchObject({ status: 403, message: expect.stringMatching(/only admins/) });
    expect(refusal(anon, 'edit', { anonEdits: false })).toMatchObject({ status: 401 });
    expect(refusal(admin, 'delete', { anonEdits: true })).toBeUndefined();
    expect(refusal(admin, 'delete', { anonEdits: true, block })).toMatchObject({ status: 403, message: expect.stringMatching(/You are blocked/) });
  });
});
