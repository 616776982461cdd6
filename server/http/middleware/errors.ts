/** The 404 handler and the one final error handler: WikiError codes → status, HTML or JSON. */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { BlockedError, WikiError } from '../../wiki/errors.js';
import { errorPage } from '../../../views/errors/error.js';
import { pageContext } from '../views.js';
import { retryAfter } from '../act.js';
import { isBusy } from '../../db/connection.js';

/** Errors thrown by Express's own parsers (body-parser, URL decoding), by their `type`. */
function fromFramework(err: { status?: number; statusCode?: number; type?: string; message?: string }): WikiError | undefined {
  const status = err.status ?? err.statusCode;
  // Another process held the database's write lock past its busy timeout: nothing was written.
  if (isBusy(err)) return new WikiError('busy', 'The wiki is busy saving other edits; nothing was saved. Try again in a few seconds.');
  if (err.type === 'entity.too.large') return new WikiError('too_large', 'The request body is over 2 MiB.');
  if (err.type === 'entity.parse.failed') return new WikiError('invalid_json', 'The request body is not valid JSON.');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') return new WikiError('invalid_input', 'The request body must be UTF-8.');
  if (err.type === 'entity.verify.failed') return new WikiError('invalid_input', 'The request body is not valid UTF-8.');
  if (status === 400 && err instanceof URIError) return new WikiError('invalid_input', 'The URL is not valid percent-encoded UTF-8.');
  if (typeof status === 'number' && status >= 400 && status < 500) return new WikiError('invalid_input', 'The request could not be understood.');
  return undefined;
}

/** The path of the wiki page the reader came from (Referer), when it is this wiki's and not this request itself. */
function cameFrom(req: Request): string | undefined {
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    if (from.host !== req.get('host') || !/^https?:$/.test(from.protocol)) return undefined;
    const path = from.pathname + from.search;
    return path === req.originalUrl ? undefined : path;
  } catch {
    return undefined;
  }
}

function wantsJson(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new WikiError('not_found', `Nothing is at ${req.path}.`));
};

/** How a failure is answered: its status, code, message, and the seconds to wait when that applies. */
export interface Failure {
  status: number;
  code: string;
  error: Error;
  retryAfter?: number;
}

/** The answer to `err`; one that is not a known failure is `log`ged and answered 500 without its details. */
export function failureOf(err: unknown, log: (err: unknown) => void): Failure {
  const known = err instanceof WikiError ? err : fromFramework(err as object);
  if (!known) log(err);
  const error = known ?? new Error('Something went wrong on the server. Try again; if it keeps happening, tell the wiki admins.');
  return { status: known?.status ?? 500, code: known?.code ?? 'internal_error', error, retryAfter: retryAfter(known) };
}

/** An API failure's body (SPEC section 4). */
export function failureJson(f: Failure): { error: { code: string; message: string } } {
  return { error: { code: f.code, message: f.error.message } };
}

export function errorHandler(log: (err: unknown) => void = (e) => console.error(e)): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const failure = failureOf(err, log);
    const { status, error } = failure;
    if (res.headersSent) return res.end();
    if (failure.retryAfter !== undefined) res.set('Retry-After', String(failure.retryAfter));
    if (wantsJson(req)) {
      res.status(status).json(failureJson(failure));
      return;
    }
    res.status(status).type('html').send(errorPage(pageContext(req), status, error.message, { back: cameFrom(req), blocked: error instanceof BlockedError }).value);
  };
}
