/**
 * Memory back after big work (SPEC section 9: 150 MB a worker).
 *
 * Two kinds of memory stay behind after a save, preview or first view of a megabyte-long text:
 * - garbage strings in V8's heap, which V8 under steady load lets grow to a multiple of what is live;
 * - freed C-heap memory (SQLite, V8's compiler zones, buffers), which
 *   glibc's malloc keeps in holes between live blocks and hands back only from the top of its heaps.
 *   Measured after eight 1 MiB renders: 20–30 MiB a worker that only malloc_trim(0) gives back.
 *
 * `processRelief.soon()` schedules one full collection QUIET_MS after the last big request (each
 * further call pushes it back), and one malloc_trim(0) at the first moment after it with no request
 * in flight, so the cost is paid once, and never while someone waits.
 * The collection runs only where the process was started with --expose-gc (cluster.ts starts the
 * workers so); the trim only on glibc, called through koffi (an FFI with prebuilt binaries: Node
 * has no way of its own to call a C function, and a native addon of our own would need a compiler
 * at install time).
 */
import { createRequire } from 'node:module';

/** The relief runs this long after the last big piece of work. */
export const QUIET_MS = 1_000;

type Step = () => void;

/** The process's gc(), when it was started with --expose-gc. */
export function exposedGc(): Step | undefined {
  const g = (globalThis as { gc?: Step }).gc;
  return typeof g === 'function' ? g : undefined;
}

let trim: (() => number) | null | undefined;

/** glibc's malloc_trim(0), or null where there is none (not Linux, musl, no koffi binary). */
function loadTrim(): (() => number) | null {
  if (process.platform !== 'linux') return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const libc = koffi.load('libc.so.6');
    // glibc's own name for itself: musl has no such function (nor a malloc_trim that does the same).
    libc.func('const char *gnu_get_libc_version()');
    const fn = libc.func('int malloc_trim(size_t pad)') as (pad: number) => number;
    return () => fn(0);
  } catch {
    return null;
  }
}

/**
 * Give the C heap's free pages back to the system (glibc's malloc_trim(0), which since glibc 2.8
 * releases whole free pages anywhere in every arena, not only at the top). Returns whether any
 * memory went back; false where the call is not available.
 */
export function trimAllocator(): boolean {
  if (trim === undefined) trim = loadTrim();
  return trim ? trim() === 1 : false;
}

/** Whether trimAllocator() can do anything in this process; the first call loads it (about 10 ms: call it at start-up). */
export function canTrimAllocator(): boolean {
  if (trim === undefined) trim = loadTrim();
  return trim !== null;
}

/** Requests in flight in this process (countRequest), so the trim waits for a quiet moment. */
let inFlight = 0;

/** Count a request as in flight until the returned function is called (once). */
export function countRequest(): () => void {
  inFlight += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    inFlight -= 1;
  };
}

/** Other work that must be over before a trim: a text process alive (a storm of megabyte-long jobs is on, whose texts pass through this process and would fault every page given back in again). */
const quietChecks = new Set<() => boolean>();

/** Register `quiet`, true while that part of the process holds no big work; returns its removal. */
export function addQuietCheck(quiet: () => boolean): () => void {
  quietChecks.add(quiet);
  return () => quietChecks.delete(quiet);
}

/** Whether no request is in flight in this process and every quiet check holds. */
export const idle = () => inFlight === 0 && [...quietChecks].every((quiet) => quiet());

/** What a relief does: a full collection, then the trim once the process is idle. */
export interface ReliefSteps {
  collect: Step;
  trim: Step;
  isIdle: () => boolean;
}

const processSteps: ReliefSteps = { collect: () => exposedGc()?.(), trim: () => void trimAllocator(), isIdle: idle };

/**
 * One relief QUIET_MS after the last call to soon(): the collection then, under load or not; the
 * trim only once no request is in flight and no text process is alive, checked every QUIET_MS.
 * The trim walks every arena holding its lock and madvises each free run of pages (6–37 ms after
 * 1 MiB renders, 125 ms for 100 MiB of holes), and each page it gives back is faulted in again,
 * zeroed, by the next big job. Run between the megabyte-long jobs of the hostile benchmark, on
 * the event loop, on the thread pool, or whenever no request was in flight, it made a render take
 * 25 s instead of 10 and held page views for up to 1.4 s; so it waits until the storm is over.
 */
export class MemoryRelief {
  private timer: NodeJS.Timeout | undefined;
  private trimTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly steps: ReliefSteps = processSteps,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Schedule the relief, pushing back one already scheduled. */
  soon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.steps.collect();
      this.trimWhenIdle();
    }, this.quietMs);
    this.timer.unref();
  }

  /** Schedule the trim alone, for the next quiet moment soon() ends with it. */
  trimWhenIdle(): void {
    if (this.trimTimer) return;
    const attempt = () => {
      if (!this.steps.isIdle()) {
        this.trimTimer = setTimeout(attempt, this.quietMs).unref();
        return;
      }
      this.trimTimer = undefined;
      this.steps.trim();
    };
    this.trimTimer = setTimeout(attempt, this.quietMs).unref();
  }
}

/** The process's one relief: the HTTP layer calls it after big requests. */
export const processRelief = new MemoryRelief();
