/**
 * Memory back after big requests (SPEC section 9: 150 MB a worker). A save, preview or first view
 * of a megabyte-long text leaves tens of MiB behind, in V8's heap and in the C heap; once big
 * requests have stopped for a moment, one relief gives it back (server/memory.ts says how).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { countRequest, type MemoryRelief, processRelief } from '../../memory.js';

/** A request body or response of at least this many bytes counts as big. */
export const BIG_BYTES = 256 * 1024;

/** Middleware that, after a big request finishes, schedules `relief` (pushed back by each further big request). */
export function memoryRelief(relief: Pick<MemoryRelief, 'soon'> = processRelief): RequestHandler {
  return (req, res, next) => {
    trackRequest(req, res, relief);
    next();
  };
}

/** What memoryRelief does for one request, for a request Express never sees (the API save lane). */
export function trackRequest(req: IncomingMessage, res: ServerResponse, relief: Pick<MemoryRelief, 'soon'> = processRelief): void {
  const sent = Number(req.headers['content-length'] ?? 0);
  // In flight until answered or abandoned: the trim waits for none to be.
  const done = countRequest();
  res.once('close', done);
  res.once('finish', () => {
    if (sent >= BIG_BYTES || Number(res.getHeader('content-length') ?? 0) >= BIG_BYTES) relief.soon();
  });
}
