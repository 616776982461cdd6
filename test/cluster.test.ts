/**
 * The real server with WIKI_WORKERS=2 (server/main.ts + server/cluster.ts), run from source through
 * tsx: both workers serve one port, a rate limit holds across them, a save through one is seen
 * by the other (and purged from the cache in front), and SIGTERM stops everything with exit code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAP_GROWING_PERCENT } from '../server/cluster.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client side's port: which connection carried the request. */
  localPort: number;
}

let child: ChildProcess;
let dir: string;
let base: URL;
let output = '';
let exited: Promise<number | null>;
const workerPids: number[] = [];
/** A stand-in for the cache in front (WIKI_PURGE_URLS): every PURGE it got, as "Host path". */
const purges: string[] = [];
let cache: Server;

/** One request; `agent` false opens a fresh connection, an Agent reuses its one kept-alive connection. */
function call(method: string, path: string, o: { agent?: Agent | false; json?: object } = {}): Promise<Answer> {
  const body = o.json ? JSON.stringify(o.json) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), {
      method,
      agent: o.agent ?? false,
      headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
    }, (res) => {
      const localPort = res.socket.localPort!;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, localPort }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The worker process holding the server side of the connection whose client port is `clientPort`:
 * the socket's inode from /proc/net/tcp, then the worker with a descriptor on it (Linux only).
 */
function workerOf(clientPort: number): number | undefined {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const row = readFileSync('/proc/net/tcp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex(Number(base.port))}`) && f[2]?.endsWith(`:${hex(clientPort)}`));
  if (!row) return undefined;
  const socket = `socket:[${row[9]}]`;
  return workerPids.find((pid) => readdirSync(`/proc/${pid}/fd`).some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === socket;
    } catch {
      return false;
    }
  }));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  cache = createServer((req, res) => {
    if (req.method === 'PURGE') purges.push(`${req.headers.host} ${req.url}`);
    res.end();
  });
  await new Promise<void>((resolve) => cache.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'peerwiki-cluster-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('WIKI_') && !['PORT', 'HOST', 'JWT_SECRET'].includes(k)) env[k] = v;
  Object.assign(env, {
    WIKI_WORKERS: '2', PORT: '0', HOST: '127.0.0.1', WIKI_DB: join(dir, 'wiki.db'), WIKI_SEED: 'true',
    JWT_SECRET: 's'.repeat(48), WIKI_SAVE_LIMIT: '3', WIKI_PUBLIC_URL: 'http://wiki.example',
    WIKI_PURGE_URLS: `http://127.0.0.1:${(cache.address() as AddressInfo).port}`,
  });
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        base = new URL(m[1]!);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  for (const m of output.matchAll(/worker (\d+) ready/g)) workerPids.push(Number(m[1]));
}, START_TIMEOUT_MS + 5_000);

afterAll(() => {
  cache.close();
  if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of workerPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('WIKI_WORKERS=2', () => {
  // One kept-alive connection held by each worker, found by asking the kernel who holds it.
  const held = new Map<number, Agent>();

  it('starts two workers on one port and says where it listens once', async () => {
    expect(output.match(/listening on/g)).toHaveLength(1);
    expect(new Set(workerPids).size).toBe(2);
    expect(base.port).not.toBe('0');
    for (let i = 0; i < 10 && held.size < 2; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const res = await call('GET', '/wiki/Main_Page', { agent });
      expect(res.status).toBe(200);
      const pid = existsSync('/proc/net/tcp') ? workerOf(res.localPort) : undefined;
      if (pid !== undefined && !held.has(pid)) held.set(pid, agent);
      else agent.destroy();
    }
    if (existsSync('/proc/net/tcp')) expect([...held.keys()].sort()).toEqual([...workerPids].sort());
  });

  it.runIf(process.platform === 'linux')('starts workers that give memory back: glibc tuned, gc() exposed, small young generation, old generation kept near its live size', () => {
    for (const pid of workerPids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toContain('MALLOC_MMAP_THRESHOLD_=131072');
      expect(environ).toContain('MALLOC_ARENA_MAX=2');
      // The WAL checkpointer's thread (a V8 isolate and a SQLite cache) lives in the primary, once.
      expect(environ).toContain('PEERWIKI_CHECKPOINTS=primary');
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv).toContain('--expose-gc');
      expect(argv).toContain('--max-semi-space-size=2');
      expect(argv).toContain(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    }
  });

  it('shows a save made through one worker in views served by the other, and folds the WAL into the database file from the primary', async () => {
    const file = join(dir, 'wiki.db');
    const before = statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const [onA, onB] = held.size === 2 ? [...held.values()] : [false as const, false as const];
    const created = await call('POST', '/api/v1/page', { agent: onA, json: { title: 'Cluster test', source: 'Version one of the text.' } });
    expect(created.status).toBe(201);
    // Both workers render (and keep) the first version.
    for (const agent of [onA, onB]) expect((await call('GET', '/wiki/Cluster_test', { agent })).body).toContain('Version one');
    const latest = (JSON.parse(created.body) as { latest: { id: number } }).latest;
    const updated = await call('PUT', '/api/v1/page/Cluster_test', { agent: onA, json: { source: 'Version two of the text.', latest } });
    expect(updated.status).toBe(200);
    const views = [await call('GET', '/wiki/Cluster_test', { agent: onB }), await call('GET', '/api/v1/page/Cluster_test', { agent: onB })];
    for (let i = 0; i < 4; i++) views.push(await call('GET', '/wiki/Cluster_test'));
    for (const v of views) {
      expect(v.status).toBe(200);
      expect(v.body).toContain('Version two');
      expect(v.body).not.toContain('Version one');
    }
    // And the cache in front was told, with the public Host, whichever worker saved.
    for (let i = 0; i < 50 && purges.filter((p) => p === 'wiki.example /wiki/Cluster_test').length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(purges.filter((p) => p === 'wiki.example /wiki/Cluster_test').length).toBeGreaterThanOrEqual(2);
    expect(purges).toContain('wiki.example /wiki/Cluster_test?action=history');
    // Two small saves, far below the 1,000 WAL pages at which a connection checkpoints for itself:
    // only the primary's checkpointer writes the database file now.
    let after = statSync(file).mtimeMs;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = statSync(file).mtimeMs;
    }
    expect(after).toBeGreaterThan(before);
  });

  it('holds the save limit across workers: the 4th anonymous save in a minute is refused', async () => {
    // Two saves went through worker A above; one more through B fills the limit of 3 for this
    // address, so A refuses the next although it counted only two itself.
    const [onA, onB] = held.size === 2 ? [...held.values()] : [false as const, false as const];
    expect((await call('POST', '/api/v1/page', { agent: onB, json: { title: 'Cluster third', source: 'x' } })).status).toBe(201);
    const refused = await call('POST', '/api/v1/page', { agent: onA, json: { title: 'Cluster fourth', source: 'x' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe('rate_limited');
    // And through fresh connections, whichever worker takes them.
    for (let i = 0; i < 3; i++) expect((await call('POST', '/api/v1/page', { json: { title: `Cluster more ${i}`, source: 'x' } })).status).toBe(429);
    for (const agent of held.values()) agent.destroy();
  });

  it('stops on SIGTERM: every worker drains and exits, then the primary exits 0', async () => {
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    for (const pid of workerPids) expect(alive(pid)).toBe(false);
  });
});
