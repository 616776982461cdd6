/** What every Action API module gets, and the small translations they share: namespaces, groups, rights, tokens, timestamps. */
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { RouteDeps } from '../../deps.js';
import type { Params } from './params.js';
import { ApiError } from './errors.js';
import { tryParseTitle, type Title } from '../../../wiki/title.js';
import type { Actor } from '../../../wiki/types.js';
import { MOVE_MIN_EDITS } from '../../../wiki/rights.js';

export interface ApiContext {
  req: Request;
  res: Response;
  p: Params;
  deps: RouteDeps;
  /** formatversion: 1 (objects keyed by id, `*` for text) or 2 (arrays, `content`, true for flags). */
  fv: 1 | 2;
}

/** A module: the parts of the answer it adds, next to `warnings` and the rest. */
export type ApiModule = (c: ApiContext) => Promise<Record<string, unknown>> | Record<string, unknown>;

// One home for MediaWiki's names and numbers (wiki/mediawiki.ts); the modules import them from here too.
export { NAMESPACE_IDS, namespaceOf, mwTime } from '../../../wiki/mediawiki.js';

/** `{name: ""|true}` when `on`, else `{}`: spread into an answer object. */
export function flagField(c: ApiContext, name: string, on: boolean): Record<string, '' | true> {
  return on ? { [name]: c.fv === 1 ? '' : true } : {};
}

/** Registered, 10 or more edits: MediaWiki's autoconfirmed (the wiki's bar for moving pages). */
function autoconfirmed(actor: Actor | undefined): boolean {
  return actor?.kind === 'user' && actor.editCount >= MOVE_MIN_EDITS;
}

/** MediaWiki's group names for the actor (SPEC section 10). */
export function groupsOf(actor: Actor | undefined): string[] {
  if (!actor || actor.kind !== 'user') return ['*'];
  return ['*', 'user', ...(autoconfirmed(actor) ? ['autoconfirmed'] : []), ...(actor.role === 'admin' ? ['sysop'] : [])];
}

/** MediaWiki's right names for what the request's actor may do, from the wiki's one rights function. */
export function rightsOf(c: ApiContext): string[] {
  const { req } = c;
  const actor = req.actor;
  const rights = ['read', 'writeapi'];
  if (req.can('edit')) rights.push('edit', 'createpage', 'createtalk', 'minoredit');
  if (actor?.kind === 'user') rights.push('editmyoptions', 'viewmywatchlist', 'editmywatchlist');
  if (autoconfirmed(actor) || actor?.role === 'admin') rights.push('autoconfirmed', 'editsemiprotected');
  if (req.can('move')) rights.push('move');
  for (const r of ['rollback', 'patrol', 'protect', 'delete', 'undelete', 'block'] as const) if (req.can(r)) rights.push(r);
  if (req.can('protect')) rights.push('editprotected', 'sysop');
  return rights;
}

/**
 * The CSRF rule of the rest of the wiki (SPEC section 10): a request carrying a session cookie
 * must send the token meta=tokens gave it; a Bearer token carries no ambient credentials.
 * @throws ApiError missingparam or badtoken
 */
export function requireToken(c: ApiContext, name = 'token'): void {
  if (c.req.authVia === 'bearer') return;
  const sent = c.p.str(name);
  if (sent === undefined || sent === '') throw new ApiError('missingparam', `The "${name}" parameter must be set.`);
  const want = Buffer.from(tokenOf(c));
  const got = Buffer.from(sent);
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw new ApiError('badtoken', 'Invalid CSRF token.');
}

/** The request's token (every type is the same token, tied to the browser's CSRF cookie); "+\\" for a Bearer client, as MediaWiki gives anonymous ones. */
export function tokenOf(c: ApiContext): string {
  return c.req.authVia === 'bearer' ? '+\\' : c.req.csrfToken;
}

/** The title parameter `name` gives (spaces or underscores); undefined when absent. @throws ApiError invalidtitle */
export function titleIn(c: ApiContext, name: string, what = 'title'): Title | undefined {
  const raw = c.p.str(name);
  if (raw === undefined) return undefined;
  const title = tryParseTitle(raw.replace(/_/g, ' '));
  if (!title) throw new ApiError('invalidtitle', `Bad ${what} "${raw}".`);
  return title;
}

/**
 * The page named by the title parameter `name`, or by the page id parameter `idName` (one of them
 * is required; the page need not exist when named by title).
 * @throws ApiError missingparam, nosuchpageid, invalidtitle
 */
export function pageParam(c: ApiContext, name = 'title', idName: string | undefined = 'pageid', what = 'title'): Title {
  const pageid = idName === undefined ? undefined : c.p.id(idName);
  if (pageid !== undefined) {
    const page = c.deps.stores.pages.byId(pageid);
    if (!page || page.title.text.startsWith('#')) throw new ApiError('nosuchpageid', `There is no page with ID ${pageid}.`);
    return page.title;
  }
  const title = titleIn(c, name, what);
  if (!title) throw new ApiError('missingparam', idName ? `One of the parameters "${name}" and "${idName}" is required.` : `The "${name}" parameter must be set.`);
  return title;
}
