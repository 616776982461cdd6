/** Parsing the filters of recent changes (SPEC sections 4 and 5) from a query string. */
import type { Stores } from '../db/stores.js';
import type { ChangeFilter } from '../db/revisions.js';
import { InvalidInputError, NotFoundError, WikiError } from '../wiki/errors.js';
import type { ViewerCan } from './present.js';
import { NAMESPACES, normalUserName } from '../wiki/title.js';
import { flag, limit, optionalId, queryValue } from './input.js';

export interface ParsedChangeFilter extends ChangeFilter {
  /** The filters as given, to rebuild links (pagination, feed). */
  query: Record<string, string>;
}

const NS = new Map<string, string>([['', ''], ['main', ''], ...NAMESPACES.map((n) => [n.toLowerCase(), n] as [string, string])]);

/**
 * @throws InvalidInputError naming the bad filter; NotFoundError for an unknown user; WikiError
 *   forbidden for `min_risk` from someone who may not see risk (patrollers only).
 */
export function parseChangeFilter(stores: Stores, q: Record<string, unknown>, o: { defaultLimit: number; maxLimit: number; can: ViewerCan }): ParsedChangeFilter {
  const query: Record<string, string> = {};
  const keep = (name: string) => {
    const v = queryValue(q, name);
    if (v !== undefined && v !== '') query[name] = v;
    return v === '' ? undefined : v;
  };
  const f: ParsedChangeFilter = { limit: limit(keep('limit'), o.defaultLimit, o.maxLimit), query };
  f.beforeId = optionalId('older_than', keep('older_than'));
  const user = keep('user');
  if (user !== undefined) {
    const actor = stores.actors.byName(normalUserName(user));
    if (!actor) throw new NotFoundError(`user: there is no account "${user}".`);
    f.actorId = actor.id;
  }
  const ns = keep('namespace');
  if (ns !== undefined) {
    const found = NS.get(ns.toLowerCase().replace(/_/g, ' '));
    if (found === undefined) throw new InvalidInputError(`namespace must be main or one of ${NAMESPACES.join(', ')}.`);
    f.namespace = found;
  }
  f.hideMinor = flag(keep('hideminor'));
  const days = keep('days');
  if (days !== undefined) {
    if (!/^\d{1,4}$/.test(days) || Number(days) < 1) throw new InvalidInputError('days must be a whole number from 1 to 9999.');
    f.since = new Date(Date.now() - Number(days) * 86_400_000).toISOString();
  }
  const tag = keep('tag');
  if (tag !== undefined) {
    if (!/^[a-z-]{1,40}$/.test(tag)) throw new InvalidInputError('tag must be a tag name such as reverted or new-user.');
    f.tag = tag;
  }
  const minRisk = keep('min_risk');
  if (minRisk !== undefined) {
    if (!o.can('patrol')) throw new WikiError('forbidden', 'min_risk: risk scores are for patrollers (admins); filter by tag instead, such as tag=new-user.');
    if (!/^\d{1,3}$/.test(minRisk) || Number(minRisk) > 100) throw new InvalidInputError('min_risk must be a whole number from 0 to 100.');
    f.minRisk = Number(minRisk);
  }
  return f;
}
