/**
 * Memory back after big requests (SPEC section 9: 150 MB a worker). A save, preview or first view
 * of a megabyte-long text leaves tens of MiB of garbage strings in V8's heap; under steady load V8
 * lets the old generation grow to a multiple of what is live before it collects, so a worker that
 * served one such request would stay that large. `processRelief.soon()` schedules one full
 * collection QUIET_MS after the last big request (each further call pushes it back), so the cost
 * is paid once. It runs only where the process was started with --expose-gc (cluster.ts starts
 * the workers so).
 *
 * What is not done, measured: glibc's malloc_trim(0) gave a worker 20–30 MiB of freed C-heap
 * memory back after 1 MiB renders, but the hostile benchmark with it was far worse than without
 * (a same-heading render 25 s against 10, a page view waiting 0.6–1.4 s against 0.2, one request
 * timing out), whether run on the event loop, on the thread pool or only when no request was in
 * flight: the trim holds each arena's lock while it walks it, and every page it gives back is
 * faulted in again, zeroed, by the next megabyte-long job.
 */

/** The collection runs this long after the last big request. */
export const QUIET_MS = 1_000;

type Step = () => void;

/** The process's gc(), when it was started with --expose-gc. */
export function exposedGc(): Step | undefined {
  const g = (globalThis as { gc?: Step }).gc;
  return typeof g === 'function' ? g : undefined;
}

/** One `collect` QUIET_MS after the last call to soon(). */
export class MemoryRelief {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly collect: Step = () => exposedGc()?.(),
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Schedule the collection, pushing back one already scheduled. */
  soon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect();
    }, this.quietMs);
    this.timer.unref();
  }
}

/** The process's one relief, scheduled by the HTTP layer after big requests. */
export const processRelief = new MemoryRelief();
