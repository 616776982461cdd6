/** /login, /register, /logout in the browser. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { queryValue, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { SESSION_COOKIE, setSessionCookie } from '../middleware/session.js';
import { checkLogin, MAX_USER_NAME, register } from '../../auth/accounts.js';
import { RateLimitedError, WikiError } from '../../wiki/errors.js';
import { requireRight } from '../../wiki/guard.js';
import { loginPage, registerPage } from '../../../views/account/forms.js';

/** Only local paths may be returned to: never another site ("//evil.example", "/\\evil"). */
export function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value) ? value : '/wiki/Main_Page';
}

export function accountRoutes({ stores, config, tokens, limits }: RouteDeps): Router {
  const r = express.Router();

  const fail = (res: Response, e: unknown, show: (error: string) => void) => {
    if (!(e instanceof WikiError) || e.code === 'bad_csrf') throw e;
    if (e instanceof RateLimitedError) res.set('Retry-After', String(e.retryAfter));
    res.status(e.status);
    show(e.message);
  };

  r.get('/login', (req, res) => {
    sendHtml(res, loginPage(pageContext(req), { username: '', returnto: safeReturn(queryValue(req.query, 'returnto')) }));
  });

  r.post('/login', async (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    const username = text('username', body.username).trim();
    const returnto = safeReturn(body.returnto);
    try {
      limits.beforeLogin(username, req.ip);
      const actor = await checkLogin(stores, username, text('password', body.password));
      if (!actor) {
        limits.loginFailed(username, req.ip);
        throw new WikiError('unauthorized', 'Wrong user name or password.');
      }
      setSessionCookie(res, req, tokens, actor, config.secureCookies);
      res.redirect(303, returnto);
    } catch (e) {
      // A name too long to be anyone's is not sent back into the form.
      const shown = username.length > 2 * MAX_USER_NAME ? '' : username;
      fail(res, e, (error) => res.type('html').send(loginPage(pageContext(req), { username: shown, returnto, error }).value));
    }
  });

  r.get('/register', (req, res) => {
    sendHtml(res, registerPage(pageContext(req), { username: '', returnto: safeReturn(queryValue(req.query, 'returnto')) }));
  });

  r.post('/register', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = text('username', body.username).trim();
    const returnto = safeReturn(body.returnto);
    try {
      const password = text('password', body.password);
      if (body.password_confirm !== undefined && body.password_confirm !== password) {
        throw new WikiError('invalid_input', 'The two passwords differ; type the same password twice.');
      }
      requireRight(stores, config.anonEdits, { actor: undefined, ip: req.ip }, 'register');
      limits.beforeSignup(req.ip);
      const actor = await register(stores, username, password);
      limits.signedUp(req.ip);
      setSessionCookie(res, req, tokens, actor, config.secureCookies);
      res.redirect(303, returnto);
    } catch (e) {
      fail(res, e, (error) => res.type('html').send(registerPage(pageContext(req), { username, returnto, error }).value));
    }
  });

  r.post('/logout', (req, res) => {
    // Temporary accounts too: a copied cookie must not outlive the logout (as the API logout does).
    if (req.actor) stores.actors.revokeTokens(req.actor.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/wiki/Main_Page');
  });

  return r;
}
