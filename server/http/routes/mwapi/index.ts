/**
 * /w/api.php: the subset of MediaWiki's Action API of SPEC section 10, so MediaWiki's bots and
 * tools work here unchanged. A translator only: each module reads MediaWiki's parameters, calls
 * the wiki's own domain functions (with the same rights, limits, blocks and CSRF rule as every
 * other door into the wiki), and writes MediaWiki's shapes. Errors are HTTP 200 with
 * `{"error": {"code", "info"}}`, as MediaWiki answers them; parameters nobody read are warnings.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { Params } from './params.js';
import { multipartFields } from '../../middleware/multipart.js';
import { ApiError, apiErrorOf } from './errors.js';
import { mwTime, type ApiContext, type ApiModule } from './context.js';
import { queryModule } from './query.js';
import { loginModule, logoutModule } from './login.js';
import { editModule } from './edit.js';
import { patrolModule, rollbackModule } from './review.js';
import { compareModule, parseModule } from './render.js';
import { blockModule, deleteModule, moveModule, protectModule, unblockModule, undeleteModule } from './admin.js';

const ACTIONS: Record<string, ApiModule> = {
  query: queryModule,
  login: loginModule,
  logout: logoutModule,
  edit: editModule,
  rollback: rollbackModule,
  patrol: patrolModule,
  protect: protectModule,
  delete: deleteModule,
  undelete: undeleteModule,
  move: moveModule,
  block: blockModule,
  unblock: unblockModule,
  parse: parseModule,
  compare: compareModule,
};

/** Mounted before the wiki's own CSRF check: modules that change something check the `token` parameter (context.ts requireToken). */
export function mediaWikiApi(deps: RouteDeps): Router {
  const r = express.Router();
  // Long texts come as multipart/form-data from some clients (mwn); the rest as an urlencoded form.
  r.use('/w/api.php', multipartFields(2 * 1024 * 1024));
  r.all('/w/api.php', async (req: Request, res: Response) => {
    res.set('Cache-Control', 'private, must-revalidate, max-age=0');
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
      res.status(405).set('Allow', 'GET, POST').type('text/plain').send('The Action API takes GET and POST.\n');
      return;
    }
    const p = new Params(req);
    const fv = p.str('formatversion') === '2' || p.str('formatversion') === 'latest' ? 2 : 1;
    const c: ApiContext = { req, res, p, deps, fv };
    let answer: Record<string, unknown>;
    try {
      const format = p.choice('format', ['json', 'jsonfm', 'none'], 'jsonfm');
      const action = p.str('action') ?? 'help';
      const module = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
      if (!module) {
        throw new ApiError('badvalue', action === 'help'
          ? 'This wiki answers a subset of the MediaWiki Action API: action=query, login, logout, edit, rollback, patrol, protect, delete, undelete, move, block, unblock, parse, compare. See the README, "Coming from MediaWiki".'
          : `Unrecognized value for parameter "action": ${action}.`);
      }
      answer = await module(c);
      if (format === 'none') return void res.status(200).end();
    } catch (e) {
      const error = apiErrorOf(e);
      if (!error) throw e;
      res.set('MediaWiki-API-Error', error.code);
      answer = { error: { code: error.code, info: error.info, ...(fv === 1 ? { '*': 'See /w/api.php for API usage; this wiki answers the subset in its README.' } : {}) } };
    }
    const unread = p.unread();
    if (unread.length) {
      const text = `Unrecognized parameter${unread.length > 1 ? 's' : ''}: ${unread.join(', ')}.`;
      answer = { ...answer, warnings: { main: fv === 1 ? { '*': text } : { warnings: text } } };
    }
    if (p.flag('curtimestamp')) answer = { ...answer, curtimestamp: mwTime(new Date().toISOString()) };
    const requestid = p.str('requestid');
    if (requestid !== undefined) answer = { requestid, ...answer };
    res.status(200).type('application/json').send(JSON.stringify(answer));
  });
  return r;
}
