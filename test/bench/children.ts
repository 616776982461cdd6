/** Child processes of the benchmark (the wiki server, the baseline servers): start, wait, stop, clean up. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface Child {
  /** Base URL without a trailing slash. */
  url: string;
  pid: number;
  /** The last lines it printed (for error messages). */
  output(): string;
  /** Resident memory now, in MiB (VmRSS of /proc/<pid>/status). */
  rssMb(): number;
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

/** Process ids of the children still running. */
export function runningPids(): number[] {
  return [...running].flatMap((c) => (c.pid !== undefined && c.exitCode === null ? [c.pid] : []));
}

/** Kill every child still running (synchronous: safe in an 'exit' handler). */
export function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/**
 * Run `node <args>` with `env` added to ours and resolve once it prints `listening on http://...`.
 * @throws StartError with its output when it exits first or stays silent.
 */
export async function startChild(name: string, args: string[], env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  const url = await listeningUrl(name, child, () => log);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { url, pid: child.pid!, output: () => log, rssMb: () => rssMbOf(child.pid!), stop };
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

function rssMbOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}
