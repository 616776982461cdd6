/**
 * Thread entry of checkpointer.ts: its own connection, every `everyMs` a passive WAL checkpoint,
 * and the texts newer revisions replaced stored as deltas (content.ts planPacks, applyPacks): the
 * deltas worked out without a lock, then written in a short transaction, so saves wait for it a few
 * milliseconds at most.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ContentStore, type PackPlan } from './content.js';

const { file, everyMs } = workerData as { file: string; everyMs: number };
/** Texts looked at a round of planning; the plan stops early past PACK_BYTES of text. */
const PACK_BATCH = 64;
/** Text worked through before the plan is written: a few megabyte-long texts at most. */
const PACK_BYTES = 4 * 1024 * 1024;
/** At most this long packing a round, then a checkpoint: an edit storm's backlog is caught up over the next rounds. */
const PACK_ROUND_MS = 250;

const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// A database without the queue (not a wiki's, or not migrated yet) is only checkpointed.
const packs = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'content_pack'").get() !== undefined;
const content = packs ? new ContentStore(db) : undefined;
// The deltas are worked out outside the write transaction, which then only writes them: the lock
// is held for a few row writes, not for the tens of milliseconds a megabyte-long text's delta takes.
const writePlan = db.transaction((plan: PackPlan) => content!.applyPacks(plan));

let failedSaid = 0;
const pack = async (): Promise<void> => {
  if (!content?.anyQueued()) return;
  const until = Date.now() + PACK_ROUND_MS;
  try {
    for (;;) {
      const r = writePlan.immediate(content.planPacks(PACK_BATCH, PACK_BYTES));
      if (r.failed > failedSaid) {
        failedSaid = r.failed;
        console.error(`peerwiki: ${r.failed} replaced text(s) could not be stored as deltas and stay whole (run npm run wiki -- check)`);
      }
      if (r.queued === 0 || Date.now() >= until) break;
      // Between batches the lock is free: a save waiting on it goes first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch {
    // Busy: the next round goes on from the same queue.
  }
};

const checkpoint = () => {
  try {
    // PASSIVE: copies what no reader still needs, waits for nobody, and gives up on a lock.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next round tries again.
  }
};

let stopping = false;
let round: Promise<void> = Promise.resolve();
const timer = setInterval(() => {
  round = round.then(async () => {
    if (stopping) return;
    await pack();
    checkpoint();
  });
}, everyMs);
parentPort!.on('message', (m: string) => {
  if (m !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  void round.then(() => {
    checkpoint();
    db.close();
    parentPort!.postMessage('stopped');
  });
});
parentPort!.postMessage('ready');
