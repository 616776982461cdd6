/**
 * Process facts from /proc (Linux): the tree below a process, CPU ticks and resident memory. The
 * wiki runs as a node:cluster primary with worker processes, so "the server" is a tree, not a pid.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // it has exited
  }
}

/** Every process's parent, read once (/proc/<pid>/task/<tid>/children is often not built into the kernel). */
function parents(): Map<number, number> {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = statFields(Number(name))?.[1];
    if (ppid !== undefined) parent.set(Number(name), Number(ppid));
  }
  return parent;
}

/** Direct children of `pid` still running. */
export function childrenOf(pid: number): number[] {
  return [...parents()].flatMap(([p, pp]) => (pp === pid ? [p] : []));
}

/** Every process below `pid` (children, their children...), not `pid` itself. */
export function descendantsOf(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [p, pp] of parents()) byParent.set(pp, [...(byParent.get(pp) ?? []), p]);
  const out: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const kids = byParent.get(queue.pop()!) ?? [];
    out.push(...kids);
    queue.push(...kids);
  }
  return out;
}

/**
 * User plus system CPU ticks a process has used, with those of its children that have exited
 * (a worker's text process, stopped after a big job, is no longer in the tree at the end of a
 * phase, and its time would otherwise count as another program's); 0 once it has exited.
 */
export function processTicks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) : 0; // utime, stime, cutime, cstime
}

/** Resident memory in MiB (VmRSS of /proc/<pid>/status); 0 once it has exited. */
export function rssMbOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * What a process's resident memory is made of, in MiB (from /proc/<pid>/status and smaps_rollup):
 * anonymous (heaps, buffers, stacks), file-backed (mostly the node binary, the same pages in every
 * worker), its proportional share of pages it shares with others, and its threads. Undefined once
 * it has exited or where /proc lacks the files.
 */
export function memoryOf(pid: number): { rss: number; anon: number; file: number; pss: number; threads: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (text: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const mb = (text: string, key: string) => field(text, key) / 1024; // the files give kB
    return { rss: mb(status, 'VmRSS'), anon: mb(status, 'RssAnon'), file: mb(status, 'RssFile'), pss: mb(rollup, 'Pss'), threads: field(status, 'Threads') };
  } catch {
    return undefined;
  }
}
