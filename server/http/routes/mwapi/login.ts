/** action=login and action=logout: the wiki's own accounts, sessions and login limits, in MediaWiki's shapes. */
import { checkLogin } from '../../../auth/accounts.js';
import { RateLimitedError } from '../../../wiki/errors.js';
import { SESSION_COOKIE, setSessionCookie } from '../../middleware/session.js';
import { requireToken, tokenOf, type ApiModule } from './context.js';

/**
 * MediaWiki 1.27+ login: a login token from meta=tokens&type=login, then the name and password.
 * Answers `{login: {result}}`: Success, NeedToken (with the token), WrongToken, Failed, Throttled.
 */
export const loginModule: ApiModule = async (c) => {
  const { req, res, p, deps } = c;
  const name = (p.str('lgname') ?? '').trim();
  const password = p.str('lgpassword') ?? '';
  p.str('lgdomain');
  const sent = p.str('lgtoken');
  if (sent === undefined || sent === '') return { login: { result: 'NeedToken', token: tokenOf(c) } };
  try {
    requireToken(c, 'lgtoken');
  } catch {
    return { login: { result: 'WrongToken' } };
  }
  if (req.method !== 'POST') return { login: { result: 'Failed', reason: 'Log in with a POST request: the password must not be in the URL.' } };
  try {
    deps.limits.beforeLogin(name, req.ip);
  } catch (e) {
    if (e instanceof RateLimitedError) return { login: { result: 'Throttled', wait: e.retryAfter, reason: e.message } };
    return { login: { result: 'Failed', reason: (e as Error).message } };
  }
  const actor = name === '' ? undefined : await checkLogin(deps.stores, name, password);
  if (!actor) {
    if (name !== '') deps.limits.loginFailed(name, req.ip);
    return { login: { result: 'Failed', reason: 'Incorrect username or password entered. Please try again.' } };
  }
  setSessionCookie(res, req, deps.tokens, actor, deps.config.secureCookies);
  return { login: { result: 'Success', lguserid: actor.id, lgusername: actor.name } };
};

/** Ends the session: every earlier token of the account stops working, as POST /logout does. */
export const logoutModule: ApiModule = (c) => {
  const { req, res, deps } = c;
  requireToken(c);
  if (req.actor) deps.stores.actors.revokeTokens(req.actor.id);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
  return {};
};
