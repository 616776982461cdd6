/** Starts the built server (dist/) on a free port with a throw-away database, for browser tests. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'server', 'main.js');
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 8_000;

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after a while), remove the database folder. */
  stop(): Promise<void>;
}

/** The environment for the child: ours, minus anything that would point it at a real wiki. */
function childEnv(dbFile: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('WIKI_') && !['PORT', 'HOST', 'JWT_SECRET'].includes(k)) env[k] = v;
  }
  return { ...env, PORT: '0', HOST: '127.0.0.1', WIKI_DB: dbFile, ...extra };
}

export interface StartOptions {
  /**
   * Runs before the server starts, with the (not yet created) database file and the environment
   * the server will get: e.g. to create accounts with the CLI.
   */
  setup?: (dbFile: string, env: NodeJS.ProcessEnv) => void | Promise<void>;
}

/**
 * Runs `node dist/server/main.js` and resolves once it prints `listening on http://...`.
 * Throws with the server's output when it exits or stays silent instead.
 */
export async function startServer(extraEnv: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm run test:e2e does).`);
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-e2e-'));
  const env = childEnv(join(dir, 'wiki.db'), extraEnv);
  if (options.setup) {
    try {
      await options.setup(env.WIKI_DB!, env);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (log += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.off('data', look);
      then();
    };
    const fail = (why: string) =>
      settle(() => void stop().then(() => reject(new Error(`peerwiki server ${why}. Output:\n${log}`))));
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) settle(() => resolve(m[1]!.replace(/\/$/, '')));
    };
    const timer = setTimeout(() => fail(`did not print "listening on" within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stdout.on('data', look);
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
  });
  return { url, output: () => log, stop };
}
