/** Summary of a V8 .cpuprofile (from `node --cpu-prof`): where the server spent its CPU during a time window. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The monotonic clock in µs, the clock V8 stamps profile samples with. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Named time windows of the benchmark's phases, to cut the server's profile by. */
export class Phases {
  readonly list: Array<{ phase: string; fromUs: number; toUs: number }> = [];

  /** Run `fn` and remember when it ran. */
  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    const fromUs = monotonicUs();
    try {
      return await fn();
    } finally {
      this.list.push({ phase, fromUs, toUs: monotonicUs() });
    }
  }
}

function where(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/dist\/(.+?)\.js$/.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? url : url || '(native)';
}

/** A function's name, cut short: regular expressions are named by their source, which can be kilobytes long. */
function nameOf(f: ProfileNode['callFrame']): string {
  return f.functionName.length > 60 ? `${f.functionName.slice(0, 57)}...` : f.functionName || '(anonymous)';
}

function label(f: ProfileNode['callFrame']): string {
  return `${nameOf(f)} ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
}

function table(counts: Map<string, number>, total: number, top: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`);
}

/** A parsed profile with each node's parent, ready to be cut into windows. */
interface Loaded {
  p: CpuProfile;
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
}

const loaded = new Map<string, Loaded>();

function load(file: string): Loaded {
  let l = loaded.get(file);
  if (!l) {
    const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    loaded.set(file, (l = { p, byId: new Map(p.nodes.map((n) => [n.id, n])), parent }));
  }
  return l;
}

/** Sample counts by key. */
class Tally extends Map<string, number> {
  add(key: string): void {
    this.set(key, (this.get(key) ?? 0) + 1);
  }
}

/** The label of the innermost frame of our own code (dist/server, dist/views) on a sample's stack. */
function nearestOwn(id: number, l: Loaded): string | undefined {
  for (let at: number | undefined = id; at !== undefined; at = l.parent.get(at)) {
    const f = l.byId.get(at)!.callFrame;
    if (/\/dist\/(?:server|views)\//.test(f.url)) return label(f);
  }
  return undefined;
}

/**
 * Lines describing the samples between fromUs and toUs: self time by function and by module or
 * package, time by the nearest server function, and inclusive time (idle samples left out of the totals).
 */
export function summarize(file: string, fromUs: number, toUs: number, top = 20): string[] {
  const l = load(file);
  const [self, module, owned, inclusive] = [new Tally(), new Tally(), new Tally(), new Tally()];
  let t = l.p.startTime;
  let total = 0;
  let idle = 0;
  l.p.samples.forEach((id, i) => {
    t += l.p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    const frame = l.byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return void idle++;
    total++;
    self.add(label(frame));
    const m = where(frame.url) === '(native)' ? nameOf(frame) : where(frame.url);
    module.add(m);
    owned.add(nearestOwn(id, l) ?? `(no server frame) ${m}`);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = l.parent.get(at)) seen.add(label(l.byId.get(at)!.callFrame));
    for (const k of seen) inclusive.add(k);
  });
  if (total === 0) return [`no busy samples in the window (${l.p.samples.length} samples in the profile)`];
  return [
    `${total} busy samples, ${idle} idle (${((100 * total) / (total + idle)).toFixed(0)}% busy)`,
    'self time by function:', ...table(self, total, top),
    'self time by module or package:', ...table(module, total, top),
    'time by the innermost server or views function on the stack (libraries and natives it called included):', ...table(owned, total, top),
    'inclusive time by function:', ...table(inclusive, total, top + 10),
  ];
}
