/**
 * The primary process of `WIKI_WORKERS` > 1 (SPEC section 9): forks the workers, prints the one
 * `listening on` line, restarts a worker that dies (with a back-off), and on SIGTERM/SIGINT lets
 * every worker drain before it exits. It never serves a request; its one hold on the database is
 * the WAL checkpointer's thread (db/checkpointer.ts), one for all the workers.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import type { Db } from './db/connection.js';
import { type Checkpointer, leaveCheckpoints, startCheckpointer } from './db/checkpointer.js';

/** The environment variable through which the primary tells a worker the port to listen on. */
export const WORKER_PORT = 'PEERWIKI_WORKER_PORT';
/** Set to `primary` for a worker whose WAL checkpoints the primary's thread takes. */
export const WORKER_CHECKPOINTS = 'PEERWIKI_CHECKPOINTS';
/** How long workers get to drain after a signal before they are killed. */
export const STOP_TIMEOUT_MS = 10_000;
/**
 * glibc's allocator settings for the workers, unless the operator set them. Its default raises the
 * size from which blocks are mapped on their own (and given back when freed) after each large free,
 * up to 32 MiB: after a few megabyte-long texts every such block comes from the heap and stays
 * there, and a worker that handled one save of 1 MiB kept over 100 MiB. A fixed 128 KiB threshold
 * gives large blocks back when freed; two arenas stop each thread from holding its own.
 */
const MALLOC_TUNING: Record<string, string> = Object.fromEntries(
  Object.entries({ MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '1048576', MALLOC_ARENA_MAX: '2' }).filter(([k]) => process.env[k] === undefined),
);

/**
 * How far (in percent) V8 lets a worker's old generation grow past what was live at the last full
 * collection before it collects again. Its own choice goes up to 4 times on a quiet process: after
 * history, diff, search and recent-changes lists, a worker holding 12 MiB of live objects kept
 * 53 MiB of old space, 35 MiB of it garbage. At 25% its old space stayed near 22 MiB and its
 * resident memory 111 MiB where it was 146; the collections are of a small heap, mostly concurrent.
 */
export const HEAP_GROWING_PERCENT = 25;

/** A worker that ran at least this long before dying was not crash-looping: its replacement starts at once. */
const STEADY_MS = 10_000;
const FIRST_RESTART_MS = 100;
const MAX_RESTART_MS = 30_000;

/** What a worker sends the primary before it exits because it cannot serve (port in use, no database). */
interface FatalMessage {
  peerwiki: 'fatal';
  message: string;
}

const isFatal = (m: unknown): m is FatalMessage => typeof m === 'object' && m !== null && (m as FatalMessage).peerwiki === 'fatal';

/** What the primary sends every worker when its checkpointer failed: checkpoint for yourselves again. */
const CHECKPOINT_SELF = { peerwiki: 'checkpoint-self' } as const;

/**
 * In a worker: leave WAL checkpoints to the primary's thread when the primary said it runs one,
 * and take them back if it says that thread failed. Returns nothing to stop: the primary stops it.
 */
export function workerCheckpoints(db: Db): undefined {
  if (process.env[WORKER_CHECKPOINTS] !== 'primary') return undefined;
  const selfAgain = leaveCheckpoints(db);
  process.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && (m as typeof CHECKPOINT_SELF).peerwiki === CHECKPOINT_SELF.peerwiki) selfAgain();
  });
  return undefined;
}

/**
 * In a worker: hand the reason this worker cannot serve to the primary, which says it once (every
 * worker meets the same wall), then exit 1 once the message is out. Returns at once; the caller
 * must not go on starting.
 */
export function workerFatal(message: string): void {
  process.exitCode = 1;
  process.send!({ peerwiki: 'fatal', message } satisfies FatalMessage, () => process.exit(1));
}

/** In a worker: the port the primary said to listen on. */
export function workerPort(config: Config): number {
  const given = process.env[WORKER_PORT];
  return given === undefined ? config.port : Number(given);
}

/** The URL of the `listening on` line: an IPv6 host in brackets. */
export const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Run the cluster's primary: fork `config.workers` workers of this same entry (node:cluster reuses
 * process.argv[1] and execArgv, so `node --import tsx server/main.ts` forks the same way) and
 * supervise them until a signal. The database must already be migrated and seeded.
 */
export function runPrimary(config: Config): void {
  const live = new Map<number, { worker: Worker; bornAt: number }>();
  const listening = new Set<number>();
  const restarts = new Set<NodeJS.Timeout>();
  let started = false;
  let stopping = false;
  let exitCode = 0;
  let quickDeaths = 0;
  let boundPort: number | undefined;
  // node:cluster shares one listening socket per (host, port) the workers ask for: with PORT=0
  // every worker asking for 0 gets the same random port while one of them holds it. When none
  // does, that socket is closed; new workers then ask for the port it had, so the URL printed stays true.
  let askPort = config.port;
  let fatalSaid = false;
  // Every worker holds its own heap: a young generation of 2 MiB semi-spaces (V8's default grows
  // to 16) keeps a worker serving small pages about 35 MiB smaller, for a few more quick scavenges;
  // and an old generation let grow to 1.25 times what was live at the last full collection (see
  // HEAP_GROWING_PERCENT). A flag the operator gave (NODE_OPTIONS or execArgv) wins. --expose-gc lets a worker collect
  // once after big requests (http/middleware/memory.ts).
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  const execArgv = [...process.execArgv];
  if (!given.includes('--max-semi-space-size')) execArgv.push('--max-semi-space-size=2');
  if (!given.includes('--expose-gc')) execArgv.push('--expose-gc');
  if (!given.includes('--heap-growing-percent')) execArgv.push(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  cluster.setupPrimary({ execArgv });

  // One checkpointer for every worker. Should it fail, the workers (and those forked later) checkpoint for themselves.
  let checkpointsFailed = false;
  const checkpoints: Checkpointer | undefined = startCheckpointer(config.dbFile, {
    onFailure: () => {
      checkpointsFailed = true;
      console.error('peerwiki: the WAL checkpointer stopped; the workers checkpoint for themselves again');
      for (const { worker } of live.values()) if (worker.isConnected()) worker.send(CHECKPOINT_SELF);
    },
  });
  const byPrimary = () => (checkpoints && !checkpointsFailed ? { [WORKER_CHECKPOINTS]: 'primary' } : {});
  const exit = (code: number) => {
    void Promise.resolve(checkpointsFailed ? undefined : checkpoints?.stop()).finally(() => process.exit(code));
  };

  const fork = () => {
    if (listening.size === 0 && boundPort !== undefined) askPort = boundPort;
    const worker = cluster.fork({ [WORKER_PORT]: String(askPort), ...MALLOC_TUNING, ...byPrimary() });
    live.set(worker.id, { worker, bornAt: Date.now() });
  };

  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (reason) console.log(reason);
    for (const t of restarts) clearTimeout(t);
    if (live.size === 0) return exit(exitCode);
    // Each worker drains its requests in flight, closes its database and exits 0 (main.ts).
    for (const { worker } of live.values()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      console.error(`peerwiki: ${live.size} worker(s) still running ${STOP_TIMEOUT_MS / 1000} s after the signal; killing them`);
      for (const { worker } of live.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
  };

  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    boundPort ??= address.port;
    if (!started && listening.size === config.workers) {
      started = true;
      console.log(`listening on ${urlOf(config.host, address.port)}`);
    }
  });

  cluster.on('message', (worker, message: unknown) => {
    if (!isFatal(message)) return;
    if (!started) {
      // Every worker hits the same wall (a port in use): say it once, as a single process would.
      if (!fatalSaid) console.error(`peerwiki: ${message.message}`);
      fatalSaid = true;
      stop('', 1);
    } else {
      console.error(`peerwiki: worker ${worker.process.pid}: ${message.message}`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const born = live.get(worker.id)?.bornAt ?? Date.now();
    live.delete(worker.id);
    listening.delete(worker.id);
    if (stopping) {
      if (live.size === 0) exit(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (!started) {
      if (!fatalSaid) console.error(`peerwiki: worker ${worker.process.pid} stopped while starting (${how})`);
      fatalSaid = true;
      stop('', 1);
      return;
    }
    quickDeaths = Date.now() - born < STEADY_MS ? quickDeaths + 1 : 0;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** (quickDeaths - 1));
    console.error(`peerwiki: worker ${worker.process.pid} stopped unexpectedly (${how}); starting another${delay ? ` in ${delay} ms` : ''}`);
    const t = setTimeout(() => {
      restarts.delete(t);
      fork();
    }, delay);
    restarts.add(t);
  });

  for (let i = 0; i < config.workers; i++) fork();
  const onSignal = (signal: string) => stop(`${signal}: stopping ${live.size} workers; each finishes its requests in flight, then closes the database`, 0);
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
