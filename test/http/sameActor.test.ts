import { describe, expect, it } from 'vitest';
import { ACTOR_HEADER, requireSameActor } from '../../server/http/sameActor.js';
import { WikiError } from '../../server/wiki/errors.js';
import type { Actor, ActorKind } from '../../server/wiki/types.js';

// The htmx buttons that carry the header are tested through the app in patrol-ui.test.ts.
function actor(id: number, kind: ActorKind, name = `Actor ${id}`): Actor {
  return { id, name, kind, role: 'user', tokenVersion: 0, editCount: 0, createdAt: '2026-01-01T00:00:00.000Z' };
}

/** Just what requireSameActor reads of a request: one header and the actor. */
function req(sent: string | undefined, who: Actor | undefined): Parameters<typeof requireSameActor>[0] {
  return { headers: sent === undefined ? {} : { [ACTOR_HEADER.toLowerCase()]: sent }, actor: who };
}

describe('requireSameActor', () => {
  it('reads the header layout.ts puts on <body hx-headers>', () => {
    expect(ACTOR_HEADER).toBe('X-Wiki-Actor');
  });

  it.each([
    { name: 'no header (a no-JS form or an API client), anonymous', sent: undefined, who: undefined },
    { name: 'no header, logged in', sent: undefined, who: actor(5, 'user') },
    { name: 'shown to nobody, still nobody', sent: '0', who: undefined },
    { name: 'shown to this account', sent: '5', who: actor(5, 'user') },
    { name: 'shown to nobody, now the temporary account made since', sent: '0', who: actor(9, 'temp') },
    { name: 'shown to this temporary account', sent: '9', who: actor(9, 'temp') },
  ])('lets through: $name', ({ sent, who }) => {
    expect(() => requireSameActor(req(sent, who))).not.toThrow();
  });

  it.each([
    { name: 'shown to nobody, now logged in', sent: '0', who: actor(5, 'user', 'Alice'), now: 'logged in as Alice' },
    { name: 'shown to an account, now logged out', sent: '5', who: undefined, now: 'not logged in' },
    { name: 'shown to another account', sent: '5', who: actor(7, 'user', 'Bob'), now: 'logged in as Bob' },
    { name: 'shown to an account, now a temporary one', sent: '5', who: actor(9, 'temp', '~2026-1'), now: 'not logged in' },
    { name: 'shown to one temporary account, now another', sent: '8', who: actor(9, 'temp', '~2026-2'), now: 'not logged in' },
    { name: 'an empty header is not "nobody"', sent: '', who: undefined, now: 'not logged in' },
  ])('refuses: $name', ({ sent, who, now }) => {
    let thrown: unknown;
    try {
      requireSameActor(req(sent, who));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WikiError);
    expect((thrown as WikiError).code).toBe('session_changed');
    expect((thrown as WikiError).message).toContain(`you are now ${now}.`);
    expect((thrown as WikiError).message).toContain('Nothing was changed');
  });
});
