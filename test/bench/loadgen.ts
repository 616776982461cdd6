/**
 * The load generator, run as its own process (`node loadgen.js`) so that nothing the benchmark does
 * meanwhile shares its event loop. It reads one JSON line of LoadgenSettings on stdin (a later
 * `stop` line ends the run early), and writes JSON lines on stdout: `{"type":"measuring"}` when the
 * warm-up is over, then `{"type":"result",...}` (LoadgenResult).
 */
import { createInterface } from 'node:readline';
import { descendantsOf, processTicks } from './procs.js';
import { watchOthers } from './machine.js';
import { monotonicUs } from './profile.js';
import { Random } from './random.js';
import { WireConnection } from './wire.js';
import type { LoadgenResult, LoadgenSettings } from './http.js';

/** CLOCK_MONOTONIC in ms (the clock of every process on the machine, unlike performance.now()). */
const monotonicMs = () => monotonicUs() / 1000;
const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Latencies in a typed array that doubles when full. A JS array of 200,000 numbers, grown by
 * copies in the collected heap while measuring, had the load generator in major collections
 * every 100 ms by the end of a run at 100,000 pages: pauses it then counted as the server's latency.
 */
class Latencies {
  private values = new Float64Array(1 << 16);
  length = 0;

  push(ms: number): void {
    if (this.length === this.values.length) {
      const more = new Float64Array(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = ms;
  }

  /** Sorted, rounded to the µs. */
  sorted(): number[] {
    return Array.from(this.values.subarray(0, this.length).sort(), round);
  }
}

async function run(o: LoadgenSettings, stopped: Promise<void>): Promise<LoadgenResult> {
  const extra = Object.entries(o.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const connections = Array.from({ length: o.connections }, () => new WireConnection(o.host, o.port, extra));
  const rng = new Random(o.seed);
  const latencies = new Latencies();
  const samples: number[] = [];
  let errors = 0;
  let bytes = 0;
  let cacheHits = 0;
  let cacheTold = 0;
  let measuring = false;
  let stop = false;
  let t0 = monotonicMs();
  let cpu0 = process.cpuUsage();
  // The benchmark and all it started (this process, the servers and their workers) are ours.
  let others = () => 0;
  // CPU of the servers (everything the benchmark started but this process), in clock ticks of 10 ms.
  const serverTicks = () => descendantsOf(process.ppid).filter((pid) => pid !== process.pid).reduce((sum, pid) => sum + processTicks(pid), 0);
  let ticks0 = 0;
  const warmEnd = monotonicMs() + o.warmupSeconds * 1000;
  const startMeasuring = () => {
    measuring = true;
    t0 = monotonicMs();
    cpu0 = process.cpuUsage();
    others = watchOthers(() => [process.ppid, ...descendantsOf(process.ppid)]);
    ticks0 = serverTicks();
    process.stdout.write('{"type":"measuring"}\n');
  };
  const loop = async (connection: WireConnection) => {
    while (!stop) {
      const start = monotonicMs();
      if (!measuring && start >= warmEnd) startMeasuring();
      const counted = measuring;
      const path = o.paths[Math.floor(rng.next() * o.paths.length)]!;
      const r = await connection.get(path).catch(() => ({ status: 0, bytes: 0, cacheHit: undefined }));
      const end = monotonicMs();
      // A refused connection fails at once: don't spin on a server that has gone away.
      if (r.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      // Answers that arrive after the deadline are left out, as are those of the warm-up.
      if (!counted || stop) continue;
      latencies.push(end - start);
      if (o.samples) samples.push(round(start), round(end));
      bytes += r.bytes;
      if (r.status !== 200) errors++;
      if (r.cacheHit !== undefined) cacheTold++;
      if (r.cacheHit) cacheHits++;
    }
  };
  const loops = connections.map(loop);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, (o.warmupSeconds + o.seconds) * 1000)));
  await Promise.race([deadline, stopped]);
  stop = true;
  clearTimeout(timer);
  if (!measuring) startMeasuring(); // stopped during the warm-up: an empty measurement
  const seconds = (monotonicMs() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const otherCores = others();
  const serverCpu = (serverTicks() - ticks0) / 100;
  await Promise.all(loops);
  for (const c of connections) c.close();
  return {
    type: 'result',
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    latencies: latencies.sorted(),
    generatorCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    serverCpu,
    otherCores,
    bytes,
    cacheHits,
    cacheTold,
    ...(o.samples ? { samples } : {}),
  };
}

/** Settings from the first line of stdin; the run stops early at a `stop` line or when stdin closes. */
async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('loadgen: no settings on stdin');
  const settings = JSON.parse(first.value) as LoadgenSettings;
  const stopped = (async () => {
    for (let l = await lines.next(); !l.done && l.value.trim() !== 'stop'; l = await lines.next());
  })();
  const result = await run(settings, stopped);
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((e: unknown) => {
  process.stderr.write(`loadgen: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
