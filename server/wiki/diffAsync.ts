/**
 * compareTexts without blocking the event loop: texts above a size threshold are compared in a
 * worker thread, so one huge diff never stalls other requests. Small texts are compared inline
 * (a round trip to a worker costs more than the diff). Where the compiled worker is not available
 * (running the TypeScript sources under a test runner), everything runs inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compareTexts, type CompareOptions, type Comparison } from './diff.js';

/** Combined size (UTF-16 units) from which a comparison goes to the worker. */
export const OFFLOAD_FROM = 64 * 1024;

const workerFile = fileURLToPath(new URL('./diffWorker.js', import.meta.url));
const workerAvailable = existsSync(workerFile);
let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (c: Comparison) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(workerFile);
  w.unref();
  w.on('message', (m: { id: number; result?: Comparison; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.result!);
  });
  w.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = undefined;
  });
  w.on('exit', () => {
    worker = undefined;
  });
  worker = w;
  return w;
}

/** Whether comparisons of this size run in the worker (true only when the compiled worker exists). */
export function offloads(oldText: string | null, newText: string | null): boolean {
  return (oldText?.length ?? 0) + (newText?.length ?? 0) >= OFFLOAD_FROM && workerAvailable;
}

export function compareTextsAsync(oldText: string | null, newText: string | null, options: CompareOptions = {}): Promise<Comparison> {
  if (!offloads(oldText, newText)) return Promise.resolve(compareTexts(oldText, newText, options));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, oldText, newText, options });
  });
}

/** Stop the worker (on shutdown). */
export async function stopDiffWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
