/**
 * CSRF protection. Each browser gets a random id in a cookie; its token is an HMAC of that id, so a
 * token can't be made without the server's secret. Forms send it as `csrf`, htmx and scripts as
 * X-CSRF-Token. API requests with a Bearer token, or with no cookies at all, carry no ambient
 * credentials and need none.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { WikiError } from '../../wiki/errors.js';
import { SESSION_COOKIE } from './session.js';
import { formBody } from '../input.js';
import '../context.js';

export const CSRF_COOKIE = 'pw_csrf';

/** What a refused token is told: the same words wherever it is refused. */
export const CSRF_REFUSED = 'The form has expired or did not come from this wiki (missing or wrong CSRF token).';

/**
 * `keepsForm` names the form posts whose routes show the form again, text kept, when the token is
 * refused (the edit form: cleared cookies or a tab left open must not cost anyone their words).
 * For those the check sets `req.csrfRefused` and lets the route run; the route changes nothing then.
 */
export function csrfTokens(secret: string, secure: boolean, keepsForm: (req: Request) => boolean = () => false): { issue: RequestHandler; check: RequestHandler } {
  const sign = (id: string) => createHmac('sha256', secret).update(`csrf:${id}`).digest('base64url');
  /**
   * The token is made on first use: a page with a form (or a logged-in reader's page, whose header
   * holds the log-out form) asks for it and gets the cookie with it; a plain page view never does,
   * so it sets no cookie and a shared cache can keep it (SPEC section 9).
   */
  const issue: RequestHandler = (req, res, next) => {
    // A Bearer-token client has no ambient credentials and needs no CSRF cookie.
    if (req.authVia === 'bearer') {
      req.csrfToken = '';
      req.csrfMade = () => false;
      return next();
    }
    let token: string | undefined;
    const mint = (): string => {
      let id = (req.cookies as Record<string, string> | undefined)?.[CSRF_COOKIE];
      if (!id || !/^[A-Za-z0-9_-]{22,64}$/.test(id)) {
        id = randomBytes(18).toString('base64url');
        if (!res.headersSent) res.cookie(CSRF_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 365 * 24 * 3600 * 1000 });
        // The cookie arrives with the next request; this one must already accept the new token.
        (req.cookies as Record<string, string>)[CSRF_COOKIE] = id;
      }
      return sign(id);
    };
    Object.defineProperty(req, 'csrfToken', { configurable: true, enumerable: true, get: () => (token ??= mint()) });
    req.csrfMade = () => token !== undefined;
    next();
  };
  const check: RequestHandler = (req, _res, next) => {
    if (!needsCheck(req)) return next();
    const sent = req.get('x-csrf-token') ?? formBody(req).csrf;
    if (typeof sent === 'string' && sent !== '' && equal(sent, req.csrfToken)) return next();
    if (keepsForm(req)) {
      req.csrfRefused = new WikiError('bad_csrf', `${CSRF_REFUSED} Nothing was saved. Your text is below, in a fresh form: save again.`);
      return next();
    }
    next(new WikiError('bad_csrf', `${CSRF_REFUSED} Reload the page and try again; nothing was changed.`));
  };
  return { issue, check };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function needsCheck(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  // A Bearer token is never sent by the browser on its own, so it cannot be forged across sites.
  if (req.authVia === 'bearer') return false;
  if (!req.originalUrl.startsWith('/api/')) return true;
  return (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] !== undefined;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
