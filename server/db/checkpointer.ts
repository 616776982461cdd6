/**
 * WAL checkpoints off the event loop. SQLite checkpoints in whichever connection commits past
 * 1,000 WAL pages, copying them into the database file and syncing it there and then: a commit
 * that crossed the line took 117 ms where the others took 4, while every request of that worker
 * waited. With a checkpointer, request connections never checkpoint; a thread with its own
 * connection does, every CHECKPOINT_MS. Should the thread fail, the connection checkpoints for
 * itself again, so the WAL never grows without bound.
 */
import type { Db } from './connection.js';
import { startModuleWorker } from '../threads.js';

export const CHECKPOINT_MS = 1_000;
/** SQLite's own default: what a connection goes back to without the thread. */
const AUTOCHECKPOINT_PAGES = 1_000;

export interface Checkpointer {
  /** One last checkpoint, then the thread ends; the connection checkpoints for itself again. */
  stop(): Promise<void>;
}

/** Start checkpointing `file` (opened as `db`) on a thread; undefined for an in-memory database, which has no WAL. */
export function startCheckpointer(db: Db, file: string, everyMs = CHECKPOINT_MS): Checkpointer | undefined {
  if (file === ':memory:') return undefined;
  const worker = startModuleWorker(new URL('./checkpointWorker.js', import.meta.url), { workerData: { file, everyMs } });
  let stopping = false;
  const selfAgain = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  db.pragma('wal_autocheckpoint = 0');
  worker.on('error', selfAgain);
  worker.on('exit', () => {
    if (!stopping) selfAgain();
  });
  worker.unref();
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (m) => m === 'stopped' && resolve());
        worker.on('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
      selfAgain();
    },
  };
}
