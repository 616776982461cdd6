/**
 * Entry of the text process (pool.ts): runs one job of jobs.ts at a time, as its parent sends
 * them, and sends each output back.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { JobName } from './jobs.js';

/**
 * Text work is background work: the event loops of the wiki's workers answer every reader, so on a
 * busy machine they must get the cores first. On Linux every thread has its own nice value, so each
 * thread this process has already started (the main one, V8's collector helpers, libuv's) is lowered
 * by its id; threads started later take their creator's. Raising one's own nice value needs no
 * privilege. Elsewhere setPriority(0, …) lowers the whole process.
 */
function lowerPriority(): void {
  try {
    if (process.platform !== 'linux') return setPriority(10);
    for (const task of readdirSync('/proc/self/task')) setPriority(Number(task), 10);
  } catch {
    // Not permitted here: run at normal priority.
  }
}
lowerPriority();

// Without its parent this process has nothing to do: a worker that died must not leave it behind.
process.on('disconnect', () => process.exit(0));

// Loaded after the priority is lowered: loading the renderer and the diff takes tens of ms of CPU,
// and a process is started for each big job after a swollen one was stopped (pool.ts). Messages
// sent meanwhile wait in the channel.
const [{ JOBS }, { WikiError }] = await Promise.all([import('./jobs.js'), import('../errors.js')]);

process.on('message', (m: { id: number; name: JobName; input: unknown }) => {
  // The heap this process holds after the job: the pool stops a process that a job left swollen.
  try {
    const output = JOBS[m.name](m.input as never);
    process.send!({ id: m.id, output, heap: getHeapStatistics().total_heap_size });
  } catch (e) {
    // A WikiError keeps its code (an overlapping merge, a bad input); anything else only its message.
    const error = e instanceof WikiError ? { message: e.message, code: e.code } : { message: e instanceof Error ? e.message : String(e) };
    process.send!({ id: m.id, error, heap: getHeapStatistics().total_heap_size });
  }
});
