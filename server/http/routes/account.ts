/** /login, /register, /logout in the browser. */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, formBody, optionalFlag, queryValue, safeReturn, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { orForm } from '../act.js';
import { SESSION_COOKIE, setSessionCookie } from '../middleware/session.js';
import { changePassword, checkLogin, MAX_USER_NAME, register } from '../../auth/accounts.js';
import { changeEmail, confirmEmail, linkAccount, requestPasswordReset, resetPassword } from '../../auth/recovery.js';
import type { Actor } from '../../wiki/types.js';
import { InvalidInputError, WikiError } from '../../wiki/errors.js';
import { loginPage, registerPage } from '../../../views/account/forms.js';
import { changePasswordPage, confirmEmailPage, deadLinkPage, preferencesPage, resetFormPage, resetRequestPage } from '../../../views/account/settings.js';

export function accountRoutes(deps: RouteDeps): Router {
  const { stores, config, tokens, limits } = deps;
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

  r.use(settingsRoutes(deps));
  return r;
}

/** Who is changing their own account: a registered account, or a 401 that says to log in. */
function ownAccount(req: Request): Actor {
  if (!req.actor || req.actor.kind !== 'user') throw new WikiError('unauthorized', 'Log in with a registered account to change its settings.');
  return req.actor;
}

/** /special/change-password, /special/preferences, /special/reset-password, /special/confirm-email (SPEC section 11). */
function settingsRoutes({ stores, config, tokens, limits, mail }: RouteDeps): Router {
  const r = express.Router();
  const privately = (res: Response) => res.set('Cache-Control', 'private, no-store');

  r.get('/special/change-password', (req, res) => {
    privately(res);
    ownAccount(req);
    sendHtml(res, changePasswordPage(pageContext(req), {}));
  });

  r.post('/special/change-password', async (req, res) => {
    privately(res);
    const body = formBody(req);
    await orForm(res, 'all', async () => {
      const actor = ownAccount(req);
      // Guessing the old password here counts as failed logins do.
      limits.beforeLogin(actor.name, req.ip);
      let changed: Actor;
      try {
        changed = await changePassword(stores, actor, text('old_password', body.old_password), text('new_password', body.new_password));
      } catch (e) {
        if (e instanceof WikiError && e.code === 'unauthorized') limits.loginFailed(actor.name, req.ip);
        throw e;
      }
      // This browser stays logged in with a fresh session; every other session has ended.
      setSessionCookie(res, req, tokens, changed, config.secureCookies);
      sendHtml(res, changePasswordPage(pageContext(req), { done: 'Your password is changed. Every other place you were logged in is logged out.' }));
    }, (e) => changePasswordPage(pageContext(req), { error: e.message }));
  });

  const preferencesModel = (actor: Actor) => {
    const p = stores.actors.preferences(actor.id);
    return { ...p, pendingEmail: stores.accountLinks.pendingEmail(actor.id, new Date().toISOString()), mailEnabled: mail.enabled };
  };

  r.get('/special/preferences', (req, res) => {
    privately(res);
    const actor = ownAccount(req);
    const done = queryValue(req.query, 'password') === 'reset' ? 'Your new password is set, and you are logged in here (and logged out everywhere else).' : undefined;
    sendHtml(res, preferencesPage(pageContext(req), { ...preferencesModel(actor), done }));
  });

  r.post('/special/preferences', async (req, res) => {
    privately(res);
    const body = formBody(req);
    await orForm(res, 'all', () => {
      const actor = ownAccount(req);
      // A box left unticked sends nothing: with the form's marker, a missing box is a no.
      const box = (name: string, was: boolean) => (body.form === '1' ? flag(body[name]) : (optionalFlag(name, body[name]) ?? was));
      const before = stores.actors.preferences(actor.id);
      const watchEdited = box('watch_edited', before.watchEdited);
      const wantsMail = box('email_notifications', before.emailNotifications);
      const emailTyped = body.email === undefined ? (before.email ?? '') : text('email', body.email);
      const outcome = changeEmail(stores, mail, config.publicUrl, actor, emailTyped);
      const email = stores.actors.preferences(actor.id).email;
      stores.actors.setPreferences(actor.id, { watchEdited, emailNotifications: wantsMail && email !== null });
      const said = [
        'Your preferences are saved.',
        outcome === 'sent' ? 'A confirmation link was sent to the new address: it is used once you follow the link.' : '',
        outcome === 'removed' ? 'Your email address is removed.' : '',
        wantsMail && email === null ? 'Notifications by email need a confirmed address first.' : '',
      ].filter(Boolean).join(' ');
      sendHtml(res, preferencesPage(pageContext(req), { ...preferencesModel(actor), done: said }));
    }, (e) => (req.actor?.kind === 'user' ? preferencesPage(pageContext(req), { ...preferencesModel(req.actor), error: e.message }) : undefined));
  });

  r.get('/special/reset-password', (req, res) => {
    privately(res);
    const token = queryValue(req.query, 'token');
    if (token === undefined) return sendHtml(res, resetRequestPage(pageContext(req), { mailEnabled: mail.enabled }));
    const actor = linkAccount(stores, token, 'reset-password');
    if (!actor) return sendHtml(res, deadLinkPage(pageContext(req), 'reset'), 400);
    sendHtml(res, resetFormPage(pageContext(req), { token, name: actor.name }));
  });

  r.post('/special/reset-password', async (req, res) => {
    privately(res);
    const body = formBody(req);
    if (body.token !== undefined) {
      const token = text('token', body.token);
      await orForm(res, 'all', async () => {
        const actor = await resetPassword(stores, token, text('new_password', body.new_password));
        setSessionCookie(res, req, tokens, actor, config.secureCookies);
        res.redirect(303, '/special/preferences?password=reset');
      }, (e) => {
        const actor = linkAccount(stores, token, 'reset-password');
        return actor ? resetFormPage(pageContext(req), { token, name: actor.name, error: e.message }) : deadLinkPage(pageContext(req), 'reset');
      });
      return;
    }
    const who = [text('username', body.username).trim(), text('email', body.email).trim()].find((v) => v !== '') ?? '';
    await orForm(res, 'all', () => {
      if (!mail.enabled) throw new WikiError('invalid_input', 'This wiki sends no mail, so it cannot send a reset link. Ask an admin to set a new password for you.');
      if (who === '') throw new InvalidInputError('Write your user name or your email address.');
      limits.mailRequest(req.ip);
      requestPasswordReset(stores, mail, config.publicUrl, who);
      // The same words whether or not there is such an account, or it has an address.
      sendHtml(res, resetRequestPage(pageContext(req), {
        mailEnabled: true,
        done: 'If an account with that name or address has a confirmed email address, a link to reset its password has been sent to it. It works once, for an hour.',
      }));
    }, (e) => resetRequestPage(pageContext(req), { mailEnabled: mail.enabled, who, error: e.message }));
  });

  r.get('/special/confirm-email', (req, res) => {
    privately(res);
    const token = queryValue(req.query, 'token') ?? '';
    if (!linkAccount(stores, token, 'confirm-email')) return sendHtml(res, deadLinkPage(pageContext(req), 'confirm'), 400);
    sendHtml(res, confirmEmailPage(pageContext(req), { token }));
  });

  r.post('/special/confirm-email', async (req, res) => {
    privately(res);
    const token = text('token', formBody(req).token);
    await orForm(res, 'all', () => {
      confirmEmail(stores, token);
      sendHtml(res, confirmEmailPage(pageContext(req), { token: '', done: 'Your email address is confirmed: password resets and the notifications you ask for go to it.' }));
    }, () => deadLinkPage(pageContext(req), 'confirm'));
  });

  return r;
}
