/** The request's authorisation: can(right, page?) and can.require(right, page?), built once per request over wiki/rights.ts and wiki/guard.ts. */
import type { RequestHandler } from 'express';
import type { Stores } from '../db/stores.js';
import { can as allowed, type Right, type RightsContext } from '../wiki/rights.js';
import { blockOf, isOwnTalk, protectionOf, requireRight, type Who } from '../wiki/guard.js';
import type { Title } from '../wiki/title.js';
import type { Actor, Block, Protection } from '../wiki/types.js';
import './context.js';

export interface Can {
  /** Whether the request's actor may do `right` (on `page` when given; it need not exist). */
  (right: Right, page?: Title): boolean;
  /** @throws WikiError 'unauthorized' (logging in would help) or 'forbidden', with the reason. */
  require(right: Right, page?: Title): void;
  /** WIKI_ANON_EDITS, for what views say to people without an account. */
  readonly anonEdits: boolean;
  /** The block in force on the request's actor or address, if any (for the page that says why, and how to appeal). */
  block(): Block | undefined;
}

/**
 * The request's Can. It reads req.actor and req.ip when asked, not when built, so it sees the
 * actor the session middleware (or a first anonymous save) set. The facts rights depend on are
 * looked up only when a rule needs them (an anonymous reader asked about admin tools costs no
 * query), and then once per request: blocks per actor, protection per page. A history of 500
 * rows asks about IP addresses 500 times but reads the blocks once.
 */
export function requestCan(stores: Stores, anonEdits: boolean, req: { readonly actor?: Actor; readonly ip?: string }): Can {
  const blocks = new Map<number, Block | undefined>();
  const protections = new Map<string, Protection | undefined>();
  // Registering is asked of the account about to be made: whoever is logged in is not it, only
  // the address it comes from counts.
  const who = (right: Right): Who => ({ actor: right === 'register' ? undefined : req.actor, ip: req.ip });
  const context = (w: Who, page: Title | undefined): RightsContext => ({
    anonEdits,
    get block() {
      const key = w.actor?.id ?? 0;
      if (!blocks.has(key)) blocks.set(key, blockOf(stores, w));
      return blocks.get(key);
    },
    get protection() {
      const key = page?.key ?? '';
      if (!protections.has(key)) protections.set(key, protectionOf(stores, page));
      return protections.get(key);
    },
    ownTalk: page !== undefined && isOwnTalk(w.actor, page),
  });
  const can = (right: Right, page?: Title): boolean => {
    const w = who(right);
    return allowed(w.actor, right, context(w, page));
  };
  return Object.assign(can, {
    require: (right: Right, page?: Title) => requireRight(stores, anonEdits, who(right), right, page),
    anonEdits,
    block: () => context(who('edit'), undefined).block,
  });
}

/** Sets req.can on every request; mounted first, so even error pages have it. */
export function authorisation(stores: Stores, anonEdits: boolean): RequestHandler {
  return (req, _res, next) => {
    req.can = requestCan(stores, anonEdits, req);
    next();
  };
}
