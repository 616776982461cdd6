/** Identifies the actor of a request from a Bearer token or the session cookie. */
import type { Request, RequestHandler, Response } from 'express';
import type { Stores } from '../../db/stores.js';
import type { TokenService } from '../../auth/tokens.js';
import type { Actor } from '../../wiki/types.js';
import { WikiError } from '../../wiki/errors.js';
import { alertsOf, type Alerts } from '../../wiki/notifications.js';
import { tryParseTitle } from '../../wiki/title.js';
import '../context.js';

export const SESSION_COOKIE = 'pw_session';

/**
 * A Bearer token that fails is answered 401 (the client asked to be someone); a bad cookie is
 * dropped and the request goes on as anonymous.
 */
export function session(stores: Stores, tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    req.authVia = 'none';
    const header = req.get('authorization');
    if (header !== undefined) {
      const actor = bearerActor(stores, tokens, header);
      if (!actor) return next(bearerRefused());
      req.actor = actor;
      req.authVia = 'bearer';
      return next();
    }
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) {
      const actor = actorOf(stores, tokens, cookie);
      if (actor) {
        req.actor = actor;
        req.authVia = 'cookie';
      } else {
        res.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    next();
  };
}

/** The account an Authorization header's Bearer token names; undefined when it names none, or not validly. */
export function bearerActor(stores: Stores, tokens: TokenService, header: string): Actor | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? actorOf(stores, tokens, m[1]!) : undefined;
}

/** What a request whose Authorization header bearerActor refused is answered (401). */
export function bearerRefused(): WikiError {
  return new WikiError('unauthorized', 'The Bearer token is invalid or expired; log in again to get a new one.');
}

function actorOf(stores: Stores, tokens: TokenService, token: string): Actor | undefined {
  const claims = tokens.verify(token);
  if (!claims) return undefined;
  const actor = stores.actors.byId(claims.sub);
  return actor && actor.tokenVersion === claims.ver ? actor : undefined;
}

/** Give the browser a session cookie for this actor (after login, or a first anonymous save). */
export function setSessionCookie(res: Response, req: { actor?: Actor }, tokens: TokenService, actor: Actor, secure: boolean): { token: string; expiresAt: Date } {
  const { token, expiresAt } = tokens.issue({ sub: actor.id, ver: actor.tokenVersion });
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
  req.actor = actor;
  return { token, expiresAt };
}

/**
 * Sets req.alerts: the actor's new messages and unread count, read once, when a page's header or
 * validator first asks (a view answered from validators alone never reads them twice).
 */
export function alerting(stores: Stores): RequestHandler {
  return (req, _res, next) => {
    let found: Alerts | undefined;
    req.alerts = () => {
      const actor = req.actor;
      const talk = actor && actor.kind !== 'system' ? tryParseTitle(`User talk:${actor.name}`) : undefined;
      if (!actor || !talk) return undefined;
      found ??= alertsOf(stores, actor, talk);
      return found;
    };
    next();
  };
}
