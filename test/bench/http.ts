/**
 * HTTP from the benchmark: a keep-alive client (http.Agent) for single requests, and runLoad, a
 * closed-loop load over lean keep-alive connections (wire.ts) from a process of its own (loadgen.ts).
 */
import { once } from 'node:events';
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnTracked } from './children.js';
import { monotonicUs } from './profile.js';

const LOADGEN = fileURLToPath(new URL('./loadgen.js', import.meta.url));

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

/** One keep-alive connection pool to one server. */
export class Client {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    readonly base: string,
    connections = 1,
  ) {
    this.url = new URL(base);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Send a request and read the whole answer; `json` is sent as an application/json body. */
  send(method: string, path: string, o: { headers?: OutgoingHttpHeaders; json?: unknown } = {}): Promise<Reply> {
    const payload = o.json === undefined ? undefined : Buffer.from(JSON.stringify(o.json));
    const headers: OutgoingHttpHeaders = { ...o.headers };
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ agent: this.agent, host: this.url.hostname, port: this.url.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path: string, headers?: OutgoingHttpHeaders): Promise<Reply> {
    return this.send('GET', path, { headers });
  }

  /** Only the status and the body's size: the body is read and dropped. */
  hit(path: string, headers?: OutgoingHttpHeaders): Promise<{ status: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = request({ agent: this.agent, host: this.url.hostname, port: this.url.port, path, headers }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode!, bytes }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The pages a load asks for: one of `paths` at random for every request, in the order `seed` gives. */
export interface PathMix {
  paths: string[];
  seed: number;
}

export interface LoadOptions {
  base: string;
  connections: number;
  seconds: number;
  /** Requests before measuring starts (JIT, connections), not counted. */
  warmupSeconds?: number;
  mix: PathMix;
  headers?: Record<string, string>;
  /** Also return each measured request's start and end (performance.now() ms of this process). */
  samples?: boolean;
  /** Called when the warm-up is over and measuring starts. */
  onMeasuring?: () => void;
  /** Stop early once this resolves. */
  until?: Promise<unknown>;
}

export interface LoadResult {
  requests: number;
  /** Answers other than 200 (and transport errors). */
  errors: number;
  seconds: number;
  rps: number;
  /** Sorted latencies in ms. */
  latencies: Float64Array;
  /** Share of one core the load generator's process used meanwhile: near 1 means it may be the bottleneck. */
  generatorCpu: number;
  /** CPU seconds the servers (every process the benchmark started but the load generator) used meanwhile. */
  serverCpu: number;
  /** Cores that processes other than the benchmark's kept busy meanwhile (on average). */
  otherCores: number;
  bytes: number;
  /** Answers a Varnish in between gave from what it had stored (X-Varnish naming two requests). */
  cacheHits: number;
  /** Answers that carried X-Varnish at all. */
  cacheTold: number;
  /** With `samples`: [start, end] of each measured request. */
  samples?: Array<[number, number]>;
}

/** What loadgen.ts reads on stdin. */
export interface LoadgenSettings {
  host: string;
  port: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  paths: string[];
  seed: number;
  headers: Record<string, string>;
  samples: boolean;
}

/** What loadgen.ts writes last on stdout; sample times are monotonic ms, in pairs. */
export interface LoadgenResult extends Omit<LoadResult, 'latencies' | 'samples'> {
  type: 'result';
  latencies: number[];
  samples?: number[];
}

/**
 * `connections` keep-alive connections, each sending its next request when the last one is
 * answered, for `seconds`, from a load generator process of its own (loadgen.ts).
 * @throws when the load generator fails.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.base);
  const settings: LoadgenSettings = {
    host: url.hostname, port: Number(url.port), connections: o.connections, seconds: o.seconds, warmupSeconds: o.warmupSeconds ?? 0,
    paths: o.mix.paths, seed: o.mix.seed, headers: o.headers ?? {}, samples: o.samples ?? false,
  };
  const { child, exited } = spawnTracked(process.execPath, [LOADGEN], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin!.on('error', () => undefined); // it may have exited already; `exited` tells
  child.stdin!.write(`${JSON.stringify(settings)}\n`);
  // A failing `until` only ends the run early; its owner sees the error when it awaits it.
  void o.until?.catch(() => undefined).then(() => child.stdin!.end('stop\n'));
  let result: LoadgenResult | undefined;
  const lines = createInterface({ input: child.stdout! });
  const closed = once(lines, 'close');
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { type: 'measuring' } | LoadgenResult;
    if (message.type === 'measuring') o.onMeasuring?.();
    else result = message;
  });
  await Promise.all([exited, closed]);
  if (!result) throw new Error(`the load generator exited (code ${child.exitCode ?? child.signalCode}) without a result`);
  // performance.now() of this process on the machine's monotonic clock.
  const offset = monotonicUs() / 1000 - performance.now();
  const pairs = result.samples?.flatMap((t, i, all): Array<[number, number]> => (i % 2 ? [] : [[t - offset, all[i + 1]! - offset]]));
  return { ...result, latencies: Float64Array.from(result.latencies), samples: pairs };
}
