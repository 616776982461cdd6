/** /api/v1/auth: register, login, logout, password change (SPEC section 5). */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { jsonBody, text } from '../../input.js';
import { userJson } from '../../present.js';
import { SESSION_COOKIE, setSessionCookie } from '../../middleware/session.js';
import { changePassword, checkLogin, register } from '../../../auth/accounts.js';
import { WikiError } from '../../../wiki/errors.js';

export function authApi({ stores, config, tokens, limits }: RouteDeps): Router {
  const r = express.Router();

  r.post('/auth/register', async (req, res) => {
    const body = jsonBody(req);
    const username = text('username', body.username, { required: true }).trim();
    const password = text('password', body.password, { required: true });
    req.can.require('register');
    limits.beforeSignup(req.ip);
    const actor = await register(stores, username, password);
    limits.signedUp(req.ip);
    const { token } = tokens.issue({ sub: actor.id, ver: actor.tokenVersion });
    res.status(201).json({ user: userJson(actor), token });
  });

  r.post('/auth/login', async (req, res) => {
    const body = jsonBody(req);
    const username = text('username', body.username, { required: true }).trim();
    limits.beforeLogin(username, req.ip);
    const actor = await checkLogin(stores, username, text('password', body.password, { required: true }));
    if (!actor) {
      limits.loginFailed(username, req.ip);
      throw new WikiError('unauthorized', 'Wrong user name or password.');
    }
    const { token, expiresAt } = setSessionCookie(res, req, tokens, actor, config.secureCookies);
    res.json({ user: userJson(actor), token, expires_at: expiresAt.toISOString() });
  });

  r.post('/auth/logout', (req, res) => {
    if (!req.actor) throw new WikiError('unauthorized', 'Not logged in: send the token as Authorization: Bearer, or the session cookie.');
    stores.actors.revokeTokens(req.actor.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  r.post('/auth/password', async (req, res) => {
    if (!req.actor || req.actor.kind !== 'user') throw new WikiError('unauthorized', 'Log in to change your password.');
    const body = jsonBody(req);
    const actor = await changePassword(stores, req.actor, text('old_password', body.old_password, { required: true }), text('new_password', body.new_password, { required: true }));
    const { token } = tokens.issue({ sub: actor.id, ver: actor.tokenVersion });
    if (req.authVia === 'cookie') setSessionCookie(res, req, tokens, actor, config.secureCookies);
    res.json({ token });
  });

  return r;
}
