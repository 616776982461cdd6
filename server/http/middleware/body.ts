/** Body parsing helpers: refuse bytes that are not valid UTF-8 instead of silently replacing them. */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { WikiError } from '../../wiki/errors.js';

/** The largest request body, JSON or form, in bytes: 2 MiB (errors.ts says so in the 413; a page's text is at most 1 MiB). */
export const BODY_LIMIT = 2 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** body-parser `verify` hook: a thrown error becomes 400 entity.verify.failed. */
export function strictUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  decoder.decode(buf);
}

/** The text of UTF-8 bytes. @throws TypeError when they are not valid UTF-8. */
export function utf8Strict(buf: Uint8Array): string {
  return decoder.decode(buf);
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
