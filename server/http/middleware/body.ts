/** Body parsing helpers: refuse bytes that are not valid UTF-8 instead of silently replacing them. */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

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
