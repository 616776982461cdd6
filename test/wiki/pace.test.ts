/** Pace (several edits in ten minutes) is a risk signal for newcomers only. */
import { describe, expect, it } from 'vitest';
import { createUser, makeTestApp } from '../helpers/app.js';
import { saveEdit } from '../../server/wiki/edit.js';
import { parseTitle } from '../../server/wiki/title.js';
import type { Actor } from '../../server/wiki/types.js';
import type { Wiki } from '../../server/bootstrap.js';

/** `n` quick saves by `actor` on pages of their own; the reasons given for the last. */
function lastReasons(wiki: Wiki, actor: Actor | 'temporary', n: number): string[] {
  let id = 0;
  const name = actor === 'temporary' ? 'Temporary' : actor.name;
  for (let i = 0; i < n; i++) {
    const title = parseTitle(`${name} page ${i}`);
    const r = saveEdit(wiki.stores, { title, source: `Text number ${i}, written quickly.`, baseId: wiki.stores.pages.byTitle(title)?.latestId ?? null, actor, ip: '10.0.0.9' });
    id = r.revision.id;
    if (actor === 'temporary') actor = wiki.stores.actors.byId(r.revision.actor.id)!;
    else actor = wiki.stores.actors.byId(actor.id)!;
  }
  return wiki.stores.revisions.byId(id)!.riskReasons;
}

describe('burst risk', () => {
  it('marks a new user\'s sixth edit in ten minutes, and a temporary account\'s', () => {
    const { wiki } = makeTestApp();
    expect(lastReasons(wiki, createUser(wiki, { name: 'Newcomer' }), 6)).toContain('6 edits in ten minutes');
    expect(lastReasons(wiki, 'temporary', 6)).toContain('6 edits in ten minutes');
  });

  it('never marks an admin\'s pace, nor an established user\'s', () => {
    const { wiki } = makeTestApp();
    const paced = (reasons: string[]) => reasons.some((r) => r.includes('edits in ten minutes'));
    expect(paced(lastReasons(wiki, createUser(wiki, { name: 'Admin', role: 'admin' }), 8))).toBe(false);
    const regular = createUser(wiki, { name: 'Regular' });
    // Ten edits make a user established (tags.ts NEW_USER_EDITS): the eleventh quick one is work, not a risk.
    const reasons = lastReasons(wiki, regular, 12);
    expect(paced(reasons)).toBe(false);
    expect(reasons).not.toContain('by a new user');
  });
});
