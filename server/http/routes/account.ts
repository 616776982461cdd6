/** /login, /register, /logout in the browser. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { formBody, queryValue, safeReturn, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { orForm } from '../act.js';
import { SESSION_COOKIE, setSessionCookie } from '../middleware/session.js';
import { checkLogin, MAX_USER_NAME, register } from '../../auth/accounts.js';
import { WikiError } from '../../wiki/errors.js';
import { loginPage, registerPage } from '../../../views/account/forms.js';

export function accountRoutes({ stores, config, tokens, limits }: RouteDeps): Router {
  const r = express.Router();

  r.get('/login', (req, res) => {
    sendHtml(res, loginPage(pageContext(req), { username: '', returnto: safeReturn(queryValue(req.query, 'returnto')) }));
  });

  r.post('/login', async (req: Request, res: Response) => {
    const body = formBody(req);
    const username = text('username', body.username).trim();
    const returnto = safeReturn(body.returnto);
    // A name too long to be anyone's is not sent back into the form.
    const shown = username.length > 2 * MAX_USER_NAME ? '' : username;
    await orForm(res, 'all', async () => {
      limits.beforeLogin(username, req.ip);
      const actor = await checkLogin(stores, username, text('password', body.password));
      if (!actor) {
        limits.loginFailed(username, req.ip);
        throw new WikiError('unauthorized', 'Wrong user name or password.');
      }
      setSessionCookie(res, req, tokens, actor, config.secureCookies);
      res.redirect(303, returnto);
    }, (e) => loginPage(pageContext(req), { username: shown, returnto, error: e.message }));
  });

  r.get('/register', (req, res) => {
    sendHtml(res, registerPage(pageContext(req), { username: '', returnto: safeReturn(queryValue(req.query, 'returnto')) }));
  });

  r.post('/register', async (req, res) => {
    const body = formBody(req);
    const username = text('username', body.username).trim();
    const returnto = safeReturn(body.returnto);
    await orForm(res, 'all', async () => {
      const password = text('password', body.password);
      if (body.password_confirm !== undefined && body.password_confirm !== password) {
        throw new WikiError('invalid_input', 'The two passwords differ; type the same password twice.');
      }
      req.can.require('register');
      limits.beforeSignup(req.ip);
      const actor = await register(stores, username, password);
      limits.signedUp(req.ip);
      setSessionCookie(res, req, tokens, actor, config.secureCookies);
      res.redirect(303, returnto);
    }, (e) => registerPage(pageContext(req), { username, returnto, error: e.message }));
  });

  r.post('/logout', (req, res) => {
    // Temporary accounts too: a copied cookie must not outlive the logout (as the API logout does).
    if (req.actor) stores.actors.revokeTokens(req.actor.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/wiki/Main_Page');
  });

  return r;
}
