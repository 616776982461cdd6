/**
 * WAL checkpoints off the event loop. SQLite checkpoints in whichever connection commits past
 * 1,000 WAL pages, copying them into the database file and syncing it there and then: a commit
 * that crossed the line took 117 ms where the others took 4, while every request of that worker
 * waited. With a checkpointer, request connections never checkpoint (`leaveCheckpoints`); a thread
 * with its own connection does, every CHECKPOINT_MS. Should the thread fail, the connections
 * checkpoint for themselves again, so the WAL never grows without bound.
 *
 * One thread is enough for the whole database: a single process runs it beside its connection;
 * a cluster's primary runs it for all its workers (cluster.ts), which keeps a V8 isolate and a
 * SQLite page cache out of every worker.
 */
import type { Db } from './connection.js';
import { startModuleWorker } from '../threads.js';

export const CHECKPOINT_MS = 1_000;
/** SQLite's own default: what a connection goes back to without the thread. */
const AUTOCHECKPOINT_PAGES = 1_000;

export interface Checkpointer {
  /** One last checkpoint, then the thread ends. */
  stop(): Promise<void>;
}

export interface CheckpointOptions {
  everyMs?: number;
  /** Called once if the thread stops on its own (an error, a crash): the connections must checkpoint again. */
  onFailure?: () => void;
}

/**
 * Stop `db` checkpointing inside its commits; the returned function makes it checkpoint for
 * itself again (call it when the checkpointer fails or stops).
 */
export function leaveCheckpoints(db: Db): () => void {
  db.pragma('wal_autocheckpoint = 0');
  return () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
}

/** Start checkpointing the database `file` on a thread; undefined for an in-memory database, which has no WAL. */
export function startCheckpointer(file: string, o: CheckpointOptions = {}): Checkpointer | undefined {
  if (file === ':memory:') return undefined;
  const worker = startModuleWorker(new URL('./checkpointWorker.js', import.meta.url), { workerData: { file, everyMs: o.everyMs ?? CHECKPOINT_MS } });
  let stopping = false;
  let failed = false;
  const failure = () => {
    if (stopping || failed) return;
    failed = true;
    o.onFailure?.();
  };
  let exited = false;
  worker.on('error', failure);
  worker.on('exit', () => {
    exited = true;
    failure();
  });
  worker.unref();
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      // A thread that already ended (it failed) would never answer: waiting for it hung shutdown.
      if (exited) return;
      const stopped = new Promise<void>((resolve) => {
        worker.on('message', (m) => m === 'stopped' && resolve());
        worker.on('exit', () => resolve());
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

/** A single process's arrangement: `db` leaves checkpoints to a thread, and takes them back when it stops or fails. */
export function checkpointBeside(db: Db, file: string, everyMs?: number): Checkpointer | undefined {
  if (file === ':memory:') return undefined;
  const selfAgain = leaveCheckpoints(db);
  const thread = startCheckpointer(file, { everyMs, onFailure: selfAgain });
  if (!thread) {
    selfAgain();
    return undefined;
  }
  return {
    stop: async () => {
      await thread.stop();
      selfAgain();
    },
  };
}
