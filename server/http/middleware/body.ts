/** Body parsing helpers: refuse bytes that are not valid UTF-8 instead of silently replacing them. */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { WikiError } from '../../wiki/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** body-parser `verify` hook: a thrown error becomes 400 entity.verify.failed. */
export function strictUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  decoder.decode(buf);
}

/** A request without a body (a bare POST) gets an empty object, so handlers never meet undefined. */
export const emptyBody: RequestHandler = (req, _res, next) => {
  req.body ??= {};
  next();
};

/**
 * Query strings must be valid percent-encoded UTF-8: the lenient parser would turn bad bytes into
 * U+FFFD and search or store them silently.
 */
export const strictQuery: RequestHandler = (req, _res, next) => {
  const i = req.originalUrl.indexOf('?');
  if (i === -1) return next();
  try {
    for (const part of req.originalUrl.slice(i + 1).split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return next(new WikiError('invalid_input', 'The query string is not valid percent-encoded UTF-8.'));
  }
  next();
};
