/**
 * Memory back after big requests (SPEC section 9: 150 MB a worker). A save, preview or first view
 * of a megabyte-long text leaves tens of MiB of garbage behind; once big requests have stopped for
 * a moment, one full collection gives it back (server/memory.ts).
 */
import type { RequestHandler } from 'express';
import { type MemoryRelief, processRelief } from '../../memory.js';

/** A request body or response of at least this many bytes counts as big. */
export const BIG_BYTES = 256 * 1024;

/** Middleware that, after a big request finishes, schedules `relief` (pushed back by each further big request). */
export function memoryRelief(relief: Pick<MemoryRelief, 'soon'> = processRelief): RequestHandler {
  return (req, res, next) => {
    const sent = Number(req.headers['content-length'] ?? 0);
    res.once('finish', () => {
      if (sent >= BIG_BYTES || Number(res.getHeader('content-length') ?? 0) >= BIG_BYTES) relief.soon();
    });
    next();
  };
}
