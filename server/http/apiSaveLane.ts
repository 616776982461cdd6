/**
 * The API's page update, PUT /api/v1/page/{T}, answered before Express for a client that names its
 * account with a Bearer token and sends JSON: how bots and tools write, and most of an edit storm.
 * Express's routing, its request and response objects and a dozen middleware cost as much CPU as
 * the save's own writes (a quarter of a sequential save: issue 12). Here the same functions run,
 * in the same order: the client's address (clientAddress.ts), the account (session.ts), rights
 * (can.ts), the save and its limit (routes/api/pageSave.ts), the failure's answer
 * (middleware/errors.ts), the security headers (security.ts), memory relief (middleware/memory.ts).
 *
 * What it does not claim goes to Express untouched, so every other case keeps its one answer:
 * another method or path, a query string, no Bearer token, a body that is not plain JSON (another
 * type, a charset other than UTF-8, an encoding, no declared length, an empty one or one over the
 * API's limit). A Bearer request needs no CSRF token (csrf.ts), and a save's answer is never cached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteDeps } from './deps.js';
import { bearerActor, bearerRefused } from './middleware/session.js';
import { clientAddressOf } from './middleware/clientAddress.js';
import { failureJson, failureOf } from './middleware/errors.js';
import { trackRequest } from './middleware/memory.js';
import { BODY_LIMIT, utf8Strict } from './middleware/body.js';
import { requestCan } from './can.js';
import { headersSetBy, securityHeaders } from './security.js';
import { jsonObject, titleFromParam, type Body } from './input.js';
import { saveFromApi, type ApiAnswer } from './routes/api/pageSave.js';
import type { Title } from '../wiki/title.js';
import type { Actor } from '../wiki/types.js';

/** Answers this request and returns true, or returns false having read and written nothing. */
export type Lane = (req: IncomingMessage, res: ServerResponse) => boolean;

const PAGE_PATH = /^\/api\/v1\/page\/([^/?#]+)$/;
const BEARER = /^Bearer\s/i;

export function apiSaveLane(deps: RouteDeps): Lane {
  const addressOf = clientAddressOf(deps.config.trustedProxies);
  // Non-GET answers are never cached (app.ts sets the same for Express's).
  const fixed: [string, string][] = [...headersSetBy(securityHeaders(deps.config)), ['Cache-Control', 'no-store']];
  const log = deps.log ?? ((e: unknown) => console.error(e));

  const send = (res: ServerResponse, answer: ApiAnswer, retryAfter?: number) => {
    const body = Buffer.from(JSON.stringify(answer.json), 'utf8');
    const headers = [...fixed, ['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', String(body.length)]];
    if (retryAfter !== undefined) headers.push(['Retry-After', String(retryAfter)]);
    res.writeHead(answer.status, headers.flat());
    res.end(body);
  };
  const fail = (res: ServerResponse, e: unknown) => {
    const failure = failureOf(e, log);
    if (res.headersSent) return void res.end();
    send(res, { status: failure.status, json: failureJson(failure) }, failure.retryAfter);
  };

  return (req, res) => {
    const claim = claimed(req);
    if (!claim) return false;
    trackRequest(req, res);
    let actor: Actor | undefined;
    try {
      actor = bearerActor(deps.stores, deps.tokens, req.headers.authorization!);
    } catch (e) {
      // A failed lookup (the database busy past its timeout) is answered, as Express's handler
      // would answer it; thrown here, in the server's listener, it would stop the process.
      fail(res, e);
      return true;
    }
    if (!actor) {
      // As Express answers it: before the body is read (Node discards what is left of it).
      fail(res, bearerRefused());
      return true;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {
      // The client went away mid-body: nothing was read as a request, nothing is answered.
    });
    req.on('end', () => {
      const ip = addressOf(req);
      const who = { actor, ip, can: requestCan(deps.stores, deps.config.anonEdits, { actor, ip }), headers: req.headers };
      let title: Title;
      let body: Body;
      try {
        // In the order Express meets them: the body's parse, the title, the body's shape.
        const parsed = parsedJson(Buffer.concat(chunks));
        title = titleFromParam(claim.title);
        body = jsonObject(parsed ?? {});
      } catch (e) {
        return fail(res, e);
      }
      saveFromApi(deps, who, undefined, title, body, 'update')
        .then((answer) => send(res, answer))
        .catch((e: unknown) => fail(res, e));
    });
    return true;
  };
}

/** The title of a request the lane answers; undefined for one it leaves to Express. */
function claimed(req: IncomingMessage): { title: string } | undefined {
  if (req.method !== 'PUT') return undefined;
  const m = PAGE_PATH.exec(req.url ?? '');
  if (!m) return undefined;
  const h = req.headers;
  if (h.authorization === undefined || !BEARER.test(h.authorization)) return undefined;
  if (!isPlainJson(h['content-type']) || h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined) return undefined;
  const length = h['content-length'];
  if (length === undefined || !/^\d{1,8}$/.test(length) || Number(length) === 0 || Number(length) > BODY_LIMIT) return undefined;
  try {
    return { title: decodeURIComponent(m[1]!) };
  } catch {
    return undefined; // Express answers a badly encoded title
  }
}

/** `application/json`, with no parameter but `charset=utf-8`. */
function isPlainJson(type: string | undefined): boolean {
  if (type === undefined) return false;
  const [media, ...params] = type.split(';').map((p) => p.trim().toLowerCase());
  return media === 'application/json' && params.every((p) => p === 'charset=utf-8' || p === 'charset="utf-8"');
}

/**
 * The body as Express's JSON parser reads it: strict UTF-8, a leading byte order mark dropped, any
 * JSON value; the failures carry the parser's error types, which middleware/errors.ts answers.
 */
function parsedJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8Strict(bytes);
  } catch {
    throw Object.assign(new Error('invalid UTF-8'), { status: 400, type: 'entity.verify.failed' });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Object.assign(new Error('invalid JSON'), { status: 400, type: 'entity.parse.failed' });
  }
}
