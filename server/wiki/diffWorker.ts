/** Worker-thread entry: runs compareTexts off the main thread for large texts. */
import { parentPort } from 'node:worker_threads';
import { compareTexts, type CompareOptions } from './diff.js';

interface Job {
  id: number;
  oldText: string | null;
  newText: string | null;
  options: CompareOptions;
}

parentPort!.on('message', (job: Job) => {
  try {
    parentPort!.postMessage({ id: job.id, result: compareTexts(job.oldText, job.newText, job.options) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
