/**
 * Memory back after big requests (SPEC section 9: 150 MB a worker). A save, preview or first view
 * of a megabyte-long text leaves tens of MiB of garbage strings in the heap; under steady load
 * V8 lets the old generation grow to a multiple of what is live before it collects, so a worker
 * that served one such request stays hundreds of MiB large. Once big requests have stopped for a
 * moment, one full collection gives that memory back. It runs only where the process was started
 * with --expose-gc (cluster.ts starts the workers so), and at most once per QUIET_MS.
 */
import type { RequestHandler } from 'express';

/** A request body or response of at least this many bytes counts as big. */
export const BIG_BYTES = 256 * 1024;
/** The collection runs this long after the last big request. */
export const QUIET_MS = 1_000;

type Collect = () => void;

/** The process's gc(), when it was started with --expose-gc. */
function exposedGc(): Collect | undefined {
  const g = (globalThis as { gc?: Collect }).gc;
  return typeof g === 'function' ? g : undefined;
}

/**
 * Middleware that, after a big request finishes, schedules one collection QUIET_MS later (pushed
 * back by each further big request). `collect` defaults to the exposed gc(); without one it does nothing.
 */
export function memoryRelief(collect: Collect | undefined = exposedGc()): RequestHandler {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      collect!();
    }, QUIET_MS);
    timer.unref();
  };
  return (req, res, next) => {
    if (!collect) return next();
    const sent = Number(req.headers['content-length'] ?? 0);
    res.once('finish', () => {
      if (sent >= BIG_BYTES || Number(res.getHeader('content-length') ?? 0) >= BIG_BYTES) schedule();
    });
    next();
  };
}
