/** Acting on behalf of a request: rights, the save limit, a new temporary account's cookie, and which failures show the form again. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Response } from 'express';
import type { RouteDeps } from './deps.js';
import { setSessionCookie } from './middleware/session.js';
import { requireSameActor } from './sameActor.js';
import { sendHtml } from './views.js';
import { conflictJson } from './present.js';
import { EditConflictError, RateLimitedError, WikiError } from '../wiki/errors.js';
import type { Right } from '../wiki/rights.js';
import type { Title } from '../wiki/title.js';
import type { Actor } from '../wiki/types.js';
import type { Can } from './can.js';
import type { Html } from '../../views/html.js';
import './context.js';
import { isBusy } from '../db/connection.js';

export interface ActOptions {
  /** Rights the actor needs, asked in this order (each on `page` when one is given). */
  rights?: readonly Right[];
  page?: Title;
  /** The act counts against the save limit (SPEC section 6). */
  save?: boolean;
  /** Refuse an htmx act clicked on a page rendered for another account (sameActor.ts). */
  sameActor?: boolean;
}

/** Who the work is done for. */
export interface Acting {
  /** The request's account, if it has one. */
  account: Actor | undefined;
  /** The account, or 'temporary' when there is none: a save then makes one. */
  actor: Actor | 'temporary';
  /** The account, for acts a right already limited to accounts. @throws WikiError 'unauthorized' when there is none. */
  readonly by: Actor;
  ip: string | undefined;
}

/**
 * What acting reads of a request: an Express request, or the API save lane's (http/apiSaveLane.ts),
 * which answers before Express and has none.
 */
export interface ActRequest {
  readonly can: Can;
  actor?: Actor;
  readonly ip?: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * `res` receives the session cookie of a temporary account the work made; it is undefined only on
 * the API save lane, whose Bearer requests always name their account and so never make one.
 */
export type Act = <T>(req: ActRequest, res: Response | undefined, o: ActOptions, work: (who: Acting) => T | Promise<T>) => Promise<T>;

/**
 * The one way routes act for a request: ask each right, check the htmx act's account, count the
 * save, run `work`, and give a temporary account made by it its session cookie (the result's
 * `actor`, as SaveResult carries it). Nothing runs after a refusal.
 * @throws WikiError 'unauthorized' / 'forbidden' (a right), 'session_changed', RateLimitedError,
 *   or whatever `work` throws.
 */
export function acting({ limits, tokens, config }: Pick<RouteDeps, 'limits' | 'tokens' | 'config'>): Act {
  return async (req, res, o, work) => {
    for (const right of o.rights ?? []) req.can.require(right, o.page);
    if (o.sameActor) requireSameActor(req);
    // Admins are not limited (SPEC section 6). rights.ts has no right of its own for that; any admin
    // right says the same (an admin who is not blocked), and a blocked admin cannot save anyway.
    if (o.save) limits.save(req.actor, req.ip, { exempt: req.can('rollback') });
    const account = req.actor;
    const result = await work({
      account,
      actor: account ?? 'temporary',
      ip: req.ip,
      get by() {
        if (!account) throw new WikiError('unauthorized', 'Log in to do this.');
        return account;
      },
    });
    const made = madeActor(result);
    if (!req.actor && made && res) setSessionCookie(res, req, tokens, made, config.secureCookies);
    return result;
  };
}

function madeActor(result: unknown): Actor | undefined {
  if (typeof result !== 'object' || result === null || !('actor' in result)) return undefined;
  const { actor } = result;
  return typeof actor === 'object' && actor !== null && 'kind' in actor && actor.kind === 'temp' ? (actor as Actor) : undefined;
}

/**
 * Which failures show the form again: 'all' where typed text is at stake (an edit, a login), so
 * even a refusal keeps it; 'input' sends refusals (401, 403) to the error page, since the form
 * itself was not theirs to use.
 */
export type FormFailures = 'all' | 'input';

/** The seconds to ask a client to wait before trying again, for a 429 or a busy server; else undefined. */
export function retryAfter(e: unknown): number | undefined {
  if (e instanceof RateLimitedError) return e.retryAfter;
  // Busy with large texts (the text workers' queue is full): a few seconds is enough.
  if (e instanceof WikiError && e.code === 'busy') return 5;
  return undefined;
}

/**
 * The failure to show in the form again, with Retry-After set on `res` when it applies.
 * @throws `e` itself when it is not for the form: not a WikiError, a bad CSRF token (the form is
 *   not to be trusted), or, for 'input', a refusal.
 */
export function formFailure(res: Response, e: unknown, failures: FormFailures): WikiError {
  // Another worker held the write lock past its timeout: nothing was saved, and the form keeps the text.
  if (isBusy(e)) e = new WikiError('busy', 'The wiki is busy saving other edits; nothing was saved. Save again in a few seconds.');
  if (!(e instanceof WikiError) || e.code === 'bad_csrf') throw e;
  if (failures === 'input' && (e.status === 401 || e.status === 403)) throw e;
  const wait = retryAfter(e);
  if (wait !== undefined) res.set('Retry-After', String(wait));
  return e;
}

/**
 * Run `respond`; when it fails in a way formFailure keeps, send what `again` makes of the failure
 * with its status (`again` answers itself and returns undefined when it must, say for htmx).
 * @throws what formFailure rethrows.
 */
export async function orForm(
  res: Response,
  failures: FormFailures,
  respond: () => unknown,
  again: (e: WikiError) => Html | undefined | Promise<Html | undefined>,
): Promise<void> {
  try {
    await respond();
  } catch (e) {
    const failure = formFailure(res, e, failures);
    const page = await again(failure);
    if (page) sendHtml(res, page, failure.status);
  }
}

/**
 * Run an API save's `respond`; an edit conflict is answered 409 with both texts (conflictJson,
 * with `message` when given). Nothing was saved then.
 * @throws whatever else `respond` throws, for the error handler.
 */
export async function conflictAs409(res: Response, respond: () => Promise<void>, message?: string): Promise<void> {
  try {
    await respond();
  } catch (e) {
    if (!(e instanceof EditConflictError)) throw e;
    res.status(409).json(conflictJson(e, message));
  }
}
