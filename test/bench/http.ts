/**
 * HTTP from the benchmark process: a keep-alive client (http.Agent) for single requests, and a
 * closed-loop load generator over lean keep-alive connections (wire.ts).
 */
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { runningPids } from './children.js';
import { watchOthers } from './machine.js';
import { WireConnection } from './wire.js';

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

  constructor(base: string, connections = 1) {
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

export interface LoadOptions {
  base: string;
  connections: number;
  seconds: number;
  /** Requests before measuring starts (JIT, connections), not counted. */
  warmupSeconds?: number;
  path: () => string;
  headers?: OutgoingHttpHeaders;
  /** Called for every measured request with its start and end (performance.now() ms). */
  onSample?: (start: number, end: number, status: number) => void;
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
  /** Share of one core the benchmark process used meanwhile: near 1 means it may be the bottleneck. */
  generatorCpu: number;
  /** Cores that processes other than the benchmark's kept busy meanwhile (on average). */
  otherCores: number;
  bytes: number;
}

/** What one load run counts once its warm-up is over. */
class Measurement {
  readonly samples: number[] = [];
  errors = 0;
  bytes = 0;
  private cpu0 = process.cpuUsage();
  private t0 = performance.now();
  private others = watchOthers(runningPids);

  start(): void {
    this.cpu0 = process.cpuUsage();
    this.t0 = performance.now();
    this.others = watchOthers(runningPids);
  }

  finish(): LoadResult {
    const seconds = (performance.now() - this.t0) / 1000;
    const cpu = process.cpuUsage(this.cpu0);
    return {
      requests: this.samples.length,
      errors: this.errors,
      seconds,
      rps: this.samples.length / seconds,
      latencies: Float64Array.from(this.samples).sort(),
      generatorCpu: (cpu.user + cpu.system) / 1e6 / seconds,
      otherCores: this.others(),
      bytes: this.bytes,
    };
  }
}

/** `connections` keep-alive connections, each sending its next request when the last one is answered, for `seconds`. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.base);
  const extra = Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${String(v)}\r\n`).join('');
  const connections = Array.from({ length: o.connections }, () => new WireConnection(url.hostname, Number(url.port), extra));
  const warmEnd = performance.now() + (o.warmupSeconds ?? 0) * 1000;
  const m = new Measurement();
  let measuring = false;
  let stop = false;
  const loop = async (connection: WireConnection) => {
    while (!stop) {
      const start = performance.now();
      if (!measuring && start >= warmEnd) {
        measuring = true;
        m.start();
      }
      const counted = measuring;
      const r = await connection.get(o.path()).catch(() => ({ status: 0, bytes: 0 }));
      const end = performance.now();
      // A refused connection fails at once: don't spin on a server that has gone away.
      if (r.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Answers that arrive after the deadline are left out, as are those of the warm-up.
      if (!counted || stop) continue;
      m.samples.push(end - start);
      m.bytes += r.bytes;
      if (r.status !== 200) m.errors++;
      o.onSample?.(start, end, r.status);
    }
  };
  const loops = connections.map(loop);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, ((o.warmupSeconds ?? 0) + o.seconds) * 1000)));
  // A failing `until` only ends the run early; its owner sees the error when it awaits it.
  await Promise.race([deadline, ...(o.until ? [o.until.catch(() => undefined)] : [])]);
  stop = true;
  clearTimeout(timer);
  const result = m.finish();
  await Promise.all(loops);
  for (const c of connections) c.close();
  return result;
}
