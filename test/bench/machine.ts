/**
 * How busy the rest of the machine was during a phase: CPU time of all processes (/proc/stat) minus
 * that of the benchmark and its children. On a shared 2-core machine this says whether to trust a figure.
 */
import { readFileSync } from 'node:fs';
import { processTicks } from './procs.js';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: everything but idle and iowait was busy.
  return fields.reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
}

/**
 * Start watching; the returned function gives the cores other processes kept busy since (on
 * average). Ours are this process and `pids()` (asked at both ends: workers may come and go).
 */
export function watchOthers(pids: () => number[]): () => number {
  const t0 = performance.now();
  const ours = () => [...new Set([process.pid, ...pids()])].reduce((sum, pid) => sum + processTicks(pid), 0);
  const busy0 = machineBusyTicks();
  const ours0 = ours();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const others = machineBusyTicks() - busy0 - (ours() - ours0);
    return Math.max(0, others / TICKS_PER_SECOND / Math.max(seconds, 0.001));
  };
}

/** Load average over the last minute. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Cores others may keep busy before a phase's figures are flagged as unreliable. */
export const BUSY_LIMIT = 0.15;

/** A warning for stderr when other processes were busy during a phase, else undefined. */
export function busyWarning(what: string, otherCores: number): string | undefined {
  return otherCores > BUSY_LIMIT
    ? `warning: other processes kept ${otherCores.toFixed(2)} of the machine's cores busy during "${what}"; its figures are not reliable`
    : undefined;
}
