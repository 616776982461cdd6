/**
 * TextWorkers: pure text jobs (jobs.ts) in a child process of their own once their input is big,
 * so no request's text, however built, holds the event loop that every other reader waits on.
 *
 * A process, not a worker thread: V8 collects every isolate of a process with one pool of helper
 * threads. A megabyte of hostile Markdown grows a job's heap to hundreds of MiB, and while a
 * thread's collector worked through that, the event loop's own small collections waited for the
 * same helpers: page views waited 200 ms and more behind one such job (bench, hostile phase). In a
 * process of its own, at a lower priority with all its threads, the job's collections are its own,
 * and its memory goes back to the system whole when the process is stopped.
 */
import type { ChildProcess } from 'node:child_process';
import { forkModule } from '../../threads.js';
import { addQuietCheck } from '../../memory.js';
import { JOBS, type JobInput, type JobName, type JobOutput } from './jobs.js';
import { WikiError } from '../errors.js';

export interface WorkerOptions {
  /** Text processes (default 1): big jobs run in parallel up to this many, the rest queue. */
  processes?: number;
  /** Input size (UTF-16 units) from which a job goes to a text process; a round trip costs more than a small job. */
  offloadFrom?: number;
  /** Jobs waiting beyond this many are refused with 503 rather than queued without bound. */
  maxQueue?: number;
  /** A job running longer than this is stopped (its process replaced) and answered with 503. */
  timeoutMs?: number;
  /** Run every job inline (no processes): for tools that run one job at a time. */
  inline?: boolean;
  /** A process with nothing to do for this long is stopped (default IDLE_MS). */
  idleMs?: number;
  /** The same after a job of at least BIG_JOB units (default BIG_IDLE_MS). */
  bigIdleMs?: number;
  /** A process whose heap is past this many bytes after a job is stopped at once (default RETIRE_HEAP_BYTES). */
  retireHeapBytes?: number;
}

/** Default offload threshold: 64 Ki units render or compare in a few milliseconds inline. */
export const OFFLOAD_FROM = 64 * 1024;

interface Pending {
  id: number;
  name: JobName;
  input: unknown;
  /** The input's size (UTF-16 units), as run() was told. */
  size: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** One text process and the job it is running, if any. */
interface Slot {
  child: ChildProcess;
  job?: Pending;
  timer?: NodeJS.Timeout;
  /** Set while the process waits for work: it is stopped when this fires. */
  idle?: NodeJS.Timeout;
}

/** What a text process sends back for a job (worker.ts). */
interface Answer {
  id: number;
  output?: unknown;
  error?: { message: string; code?: string };
  heap?: number;
}

/**
 * A process idle this long is stopped: its memory (tens of MiB after a megabyte-long text) goes
 * back to the system, and a wiki serving only small pages keeps none. The next big job starts one
 * again, in well under a tenth of a second, off the event loop.
 */
export const IDLE_MS = 30_000;

/**
 * A job this big (UTF-16 units of input) leaves its process holding tens of MiB more than it
 * started with (a render of 200 KiB of Markdown: 50 MiB, of 1 MiB: 110), whatever its heap says
 * once the job is done: V8 and the allocator keep what they grew. So a process whose last job was
 * this big is stopped BIG_IDLE_MS after it, not IDLE_MS: long enough for the next job of the same
 * request (a view's links step, then its render) to reuse it, short enough that the memory is back
 * a moment after the request.
 */
export const BIG_JOB = 128 * 1024;
export const BIG_IDLE_MS = 1_000;

/**
 * A process whose heap is past this after a job (a megabyte of hostile Markdown can take it to
 * hundreds of MiB) is stopped at once rather than after IDLE_MS, so the machine's memory is back
 * near its resting size as soon as the job is done. The next big job starts a fresh one.
 */
export const RETIRE_HEAP_BYTES = 48 * 1024 * 1024;

/** A new text process running the job entry (worker.ts, compiled or through tsx: threads.ts). */
function startProcess(): ChildProcess {
  return forkModule(new URL('./worker.js', import.meta.url));
}

export class TextWorkers {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly processes: number;
  private readonly offloadFrom: number;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;
  private readonly inline: boolean;
  private readonly idleMs: number;
  private readonly bigIdleMs: number;
  private readonly retireHeapBytes: number;

  constructor(o: WorkerOptions = {}) {
    this.processes = Math.max(1, o.processes ?? 1);
    this.offloadFrom = o.offloadFrom ?? OFFLOAD_FROM;
    this.maxQueue = o.maxQueue ?? 64;
    this.timeoutMs = o.timeoutMs ?? 20_000;
    this.inline = o.inline ?? false;
    this.idleMs = o.idleMs ?? IDLE_MS;
    this.bigIdleMs = o.bigIdleMs ?? BIG_IDLE_MS;
    this.retireHeapBytes = o.retireHeapBytes ?? RETIRE_HEAP_BYTES;
    this.unquiet = addQuietCheck(() => this.slots.length === 0 && this.queue.length === 0);
  }

  /** Takes this pool's quiet check (memory.ts) away again. */
  private readonly unquiet: () => void;

  /** Text processes running now (they start with the first big job). */
  get processCount(): number {
    return this.slots.length;
  }

  /** The process ids of the text processes running now. */
  get processIds(): number[] {
    return this.slots.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]));
  }

  /** Whether a job of this size would run in a text process. */
  offloads(size: number): boolean {
    return !this.inline && size >= this.offloadFrom;
  }

  /**
   * Run job `name` on `input`; `size` is the input's size in UTF-16 units (the sum of its texts).
   * @throws WikiError 'busy' (503) when the queue is full or the job ran past its time; rethrows
   * a WikiError the job threw, with its code; anything else as an Error.
   */
  run<N extends JobName>(name: N, input: JobInput<N>, size: number): Promise<JobOutput<N>> {
    if (!this.offloads(size)) {
      try {
        return Promise.resolve(JOBS[name](input as never) as JobOutput<N>);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    if (this.closed) return Promise.reject(new WikiError('busy', 'The wiki is shutting down; try again in a moment.'));
    if (this.queue.length >= this.maxQueue) {
      return Promise.reject(new WikiError('busy', 'The wiki is busy with many large texts at once; try again in a few seconds.'));
    }
    return new Promise<JobOutput<N>>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, name, input, size, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Stop every text process; queued and running jobs are refused. Resolves once they have exited. */
  async close(): Promise<void> {
    this.closed = true;
    this.unquiet();
    for (const p of this.queue.splice(0)) p.reject(new WikiError('busy', 'The wiki is shutting down; try again in a moment.'));
    await Promise.all(this.slots.splice(0).map((s) => {
      clearTimeout(s.timer);
      clearTimeout(s.idle);
      s.job?.reject(new WikiError('busy', 'The wiki is shutting down; try again in a moment.'));
      return stop(s.child);
    }));
  }

  /** Give queued jobs to idle processes, starting processes up to the limit. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.processes) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      const taken = slot;
      clearTimeout(taken.idle);
      taken.job = job;
      taken.timer = setTimeout(() => this.fail(taken, new WikiError('busy', 'That text took too long to process; nothing was changed. Try a smaller text.')), this.timeoutMs);
      taken.child.send({ id: job.id, name: job.name, input: job.input }, (e) => {
        if (e) this.fail(taken, e);
      });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { child: startProcess() };
    // Neither the process nor its channel keeps this one running: a tool exits when its work is done.
    slot.child.unref();
    slot.child.channel?.unref();
    slot.child.on('message', (m: Answer) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      clearTimeout(slot.timer);
      slot.job = undefined;
      if (m.error) job.reject(m.error.code ? new WikiError(m.error.code as never, m.error.message) : new Error(m.error.message));
      else job.resolve(m.output);
      const swollen = (m.heap ?? 0) > this.retireHeapBytes;
      if (swollen) this.retire(slot);
      this.dispatch();
      if (!swollen && !slot.job) slot.idle = setTimeout(() => this.retire(slot), job.size >= BIG_JOB ? this.bigIdleMs : this.idleMs).unref();
    });
    slot.child.on('error', (e) => this.fail(slot, e));
    slot.child.on('exit', () => this.fail(slot, new Error('a text process stopped')));
    this.slots.push(slot);
    return slot;
  }

  /** Stop a process that had nothing to do for IDLE_MS, or whose heap grew past RETIRE_HEAP_BYTES. */
  private retire(slot: Slot): void {
    if (slot.job) return;
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    void stop(slot.child);
  }

  /** The process broke or ran too long: refuse its job, drop the process, go on with a new one. */
  private fail(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    clearTimeout(slot.timer);
    slot.job?.reject(error);
    slot.job = undefined;
    clearTimeout(slot.idle);
    void stop(slot.child);
    if (!this.closed) this.dispatch();
  }
}

/**
 * Stop a text process now, whatever it is doing (a job past its time does not listen), and
 * resolve once it has exited.
 */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
