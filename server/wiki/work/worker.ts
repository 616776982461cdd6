/** Worker-thread entry of TextWorkers: runs one job of jobs.ts at a time and posts its output back. */
import { parentPort } from 'node:worker_threads';
import { JOBS, type JobName } from './jobs.js';
import { WikiError } from '../errors.js';

parentPort!.on('message', (m: { id: number; name: JobName; input: unknown }) => {
  try {
    parentPort!.postMessage({ id: m.id, output: JOBS[m.name](m.input as never) });
  } catch (e) {
    // A WikiError keeps its code (an overlapping merge, a bad input); anything else only its message.
    const error = e instanceof WikiError ? { message: e.message, code: e.code } : { message: e instanceof Error ? e.message : String(e) };
    parentPort!.postMessage({ id: m.id, error });
  }
});
