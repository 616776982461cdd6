/** Thread entry of checkpointer.ts: its own connection, a passive WAL checkpoint every `everyMs`. */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file, { fileMustExist: true });
const checkpoint = () => {
  try {
    // PASSIVE: copies what no reader still needs, waits for nobody, and gives up on a lock.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next round tries again.
  }
};
const timer = setInterval(checkpoint, everyMs);
parentPort!.on('message', (m: string) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort!.postMessage('stopped');
});
parentPort!.postMessage('ready');
