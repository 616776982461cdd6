/**
 * Memory back after big work (SPEC section 9: 150 MB a worker).
 *
 * Two kinds of memory stay behind after a save, preview or first view of a megabyte-long text:
 * - garbage strings in V8's heap, which V8 under steady load lets grow to a multiple of what is live;
 * - freed C-heap memory (SQLite, V8's compiler zones, buffers, a text thread that has ended), which
 *   glibc's malloc keeps in holes between live blocks and hands back only from the top of its heaps.
 *   Measured after eight 1 MiB renders: 20–30 MiB a worker that only malloc_trim(0) gives back.
 *
 * `relieveMemory()` schedules one full collection and one malloc_trim(0) QUIET_MS after the last
 * big piece of work (each further call pushes it back), so the cost is paid once, at a quiet moment.
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

interface Trim {
  /** malloc_trim(0) here and now. */
  now(): number;
  /** malloc_trim(0) on libuv's thread pool; `done` gets whether memory went back. */
  later(done: (released: boolean) => void): void;
}

let trim: Trim | null | undefined;

/** glibc's malloc_trim(0), or null where there is none (not Linux, musl, no koffi binary). */
function loadTrim(): Trim | null {
  if (process.platform !== 'linux') return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const libc = koffi.load('libc.so.6');
    // glibc's own name for itself: musl has no such function (nor a malloc_trim that does the same).
    libc.func('const char *gnu_get_libc_version()');
    const fn = libc.func('int malloc_trim(size_t pad)') as ((pad: number) => number) & {
      async(pad: number, cb: (err: unknown, result: number) => void): void;
    };
    return { now: () => fn(0), later: (done) => fn.async(0, (err, result) => done(!err && result === 1)) };
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
  return trim ? trim.now() === 1 : false;
}

/**
 * trimAllocator() on libuv's thread pool: the walk and its madvise calls (up to 125 ms for 100 MiB
 * of holes) then happen beside the event loop, not on it. Resolves to whether memory went back.
 */
export function trimAllocatorSoon(): Promise<boolean> {
  if (trim === undefined) trim = loadTrim();
  const t = trim;
  return t ? new Promise((resolve) => t.later(resolve)) : Promise.resolve(false);
}

/** Whether trimAllocator() can do anything in this process; the first call loads it (about 10 ms: call it at start-up). */
export function canTrimAllocator(): boolean {
  if (trim === undefined) trim = loadTrim();
  return trim !== null;
}

/**
 * The relief itself: a full collection (when exposed), then the trim off the event loop. Measured
 * after 1 MiB renders: 12–58 ms for the collection, 6–37 ms for the trim on the event loop.
 */
function relieve(): void {
  exposedGc()?.();
  void trimAllocatorSoon();
}

/** One relief QUIET_MS after the last call to soon(); `run` is what it does (tests count it). */
export class MemoryRelief {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: Step = relieve,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** Schedule the relief, pushing back one already scheduled. */
  soon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.quietMs);
    this.timer.unref();
  }
}

/** The process's one relief: the HTTP layer calls it after big requests, the text threads when one ends. */
export const processRelief = new MemoryRelief();

/** Schedule the process's relief (see MemoryRelief.soon). */
export function relieveMemory(): void {
  processRelief.soon();
}
