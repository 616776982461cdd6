/** Worker-thread entry of TextWorkers: runs one job of jobs.ts at a time and posts its output back. */
import { setPriority } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { JobName } from './jobs.js';

/**
 * Text work is background work: the event loop answers every reader, so on a busy machine it must
 * get the core first. On Linux a thread has its own nice value and setPriority(pid 0) sets only the
 * calling thread's, so this lowers this worker alone (elsewhere it would lower the whole process, so
 * it is left alone there). Raising one's own nice value needs no privilege.
 */
if (process.platform === 'linux') {
  try {
    setPriority(10);
  } catch {
    // Not permitted here: run at normal priority.
  }
}

// Loaded after the priority is lowered: loading the renderer and the diff takes tens of ms of CPU,
// and a thread is started for each big job after a swollen one was stopped (pool.ts). Messages
// posted meanwhile wait on the port.
const [{ JOBS }, { WikiError }] = await Promise.all([import('./jobs.js'), import('../errors.js')]);

/**
 * The memory of the output's byte arrays (RenderedBytes), moved to the main thread rather than
 * copied. Only an array that is the whole of its memory: a small Buffer shares Node's pool, which
 * must stay here, so it is copied.
 */
function movable(output: unknown): ArrayBuffer[] {
  if (typeof output !== 'object' || output === null) return [];
  const moved: ArrayBuffer[] = [];
  for (const v of Object.values(output)) {
    if (v instanceof Uint8Array && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer) moved.push(v.buffer);
  }
  return moved;
}

parentPort!.on('message', (m: { id: number; name: JobName; input: unknown }) => {
  try {
    const output = JOBS[m.name](m.input as never);
    // The heap this thread holds now: the pool stops a thread that a job left swollen (pool.ts).
    parentPort!.postMessage({ id: m.id, output, heap: getHeapStatistics().total_heap_size }, movable(output));
  } catch (e) {
    // A WikiError keeps its code (an overlapping merge, a bad input); anything else only its message.
    const error = e instanceof WikiError ? { message: e.message, code: e.code } : { message: e instanceof Error ? e.message : String(e) };
    parentPort!.postMessage({ id: m.id, error, heap: getHeapStatistics().total_heap_size });
  }
});
