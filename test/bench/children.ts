/**
 * Child processes of the benchmark (the wiki server, the baseline servers, the load generator,
 * varnishd): start, wait, stop, and clean up with everything they started.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { childrenOf, descendantsOf, memoryOf, rssMbOf } from './procs.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface Child {
  /** Base URL without a trailing slash. */
  url: string;
  pid: number;
  /** The last lines it printed (for error messages). */
  output(): string;
  /** Resident memory now, in MiB: the largest of its child processes (cluster workers) with the anonymous memory of what each started (a text process), or its own when it has none. */
  rssMb(): number;
  /** Processes serving: its children (cluster workers), or 1 when it serves by itself. */
  processes(): number;
  /** What the largest one's memory is made of, in words (procs.ts memoryOf); '' where /proc cannot say. */
  memoryDetail(): string;
  /** SIGTERM, then SIGKILL if it lingers; resolves once it has exited. */
  stop(): Promise<void>;
}

export class StartError extends Error {
  override name = 'StartError';
}

const running = new Set<ChildProcess>();

/** Our environment minus anything that would point a child at a real wiki, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('WIKI_') && !['PORT', 'HOST', 'JWT_SECRET'].includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** Process ids of everything the benchmark started that is still running (cluster workers included). */
export function runningPids(): number[] {
  return descendantsOf(process.pid);
}

/** Kill every child still running and what it started (synchronous: safe in an 'exit' handler). */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of running) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    // Its own children first: a cluster primary or varnishd killed outright cannot stop its workers.
    for (const pid of descendantsOf(child.pid)) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    child.kill(signal);
  }
}

/** Spawn `command` and track it, so killAll reaches it; resolves `exited` when it ends. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(command, args, options);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  // A failed spawn (no such command) emits 'error' and no 'exit'.
  child.once('error', () => running.delete(child));
  return { child, exited };
}

/** SIGTERM, then SIGKILL (of it and its children) if it lingers; resolves once it has exited. */
export async function stopTracked(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const pid of descendantsOf(child.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Run `node <args>` with `env` added to ours and resolve once it prints `listening on http://...`.
 * @throws StartError with its output when it exits first or stays silent.
 */
export async function startChild(name: string, args: string[], env: Record<string, string>): Promise<Child> {
  const { child, exited } = spawnTracked(process.execPath, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (s: string) => {
    log = (log + s).slice(-8_000);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    keep(s);
    // Errors the server logs while measuring matter: show them as they happen.
    process.stderr.write(s.replace(/^(?=.)/gm, `[${name}] `));
  });
  const url = await listeningUrl(name, child, () => log);
  const pid = child.pid!;
  const workers = () => childrenOf(pid);
  const serving = () => (workers().length ? workers() : [pid]);
  return {
    url,
    pid,
    output: () => log,
    rssMb: () => Math.max(0, ...serving().map((p) => rssMbOf(p) + helpersAnonMb(p))),
    processes: () => Math.max(1, workers().length),
    memoryDetail: () => {
      const largest = serving()
        .map((p) => ({ m: memoryOf(p), helpers: helpersAnonMb(p) }))
        .filter((x) => x.m !== undefined)
        .sort((a, b) => b.m!.rss + b.helpers - (a.m!.rss + a.helpers))[0];
      if (!largest) return '';
      const { m, helpers } = { m: largest.m!, helpers: largest.helpers };
      const mb = (n: number) => n.toFixed(0);
      const text = helpers > 0 ? `, plus ${mb(helpers)} MiB anonymous in the text process it started (counted in rss_mb)` : '';
      return `${mb(m.rss)} MiB resident: ${mb(m.anon)} anonymous (heaps, buffers, stacks), ${mb(m.file)} file-backed (mostly the node binary, shared by every worker); ${mb(m.pss)} MiB its proportional share; ${m.threads} threads${text}`;
    },
    stop: () => stopTracked(child, exited),
  };
}

/**
 * The anonymous memory (heaps, buffers) of the processes a worker started (its text process, while
 * one runs), in MiB: part of what the worker costs. Their file-backed pages are the node binary's,
 * the same pages as the worker's own, so they are not counted twice.
 */
function helpersAnonMb(worker: number): number {
  return descendantsOf(worker).reduce((sum, p) => sum + (memoryOf(p)?.anon ?? 0), 0);
}

function listeningUrl(name: string, child: ChildProcess, log: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new StartError(`${name} ${why}. Its output:\n${log() || '(nothing)'}`));
    };
    const timer = setTimeout(() => fail(`did not print "listening on" within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(log());
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      child.off('exit', onExit);
      resolve(m[1]!.replace(/\/$/, ''));
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${signal ?? `code ${code}`}) before listening`);
    child.stdout!.on('data', look);
    child.once('exit', onExit);
  });
}
