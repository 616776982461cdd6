/**
 * Thread entry of checkpointer.ts: its own connection, every `everyMs` a passive WAL checkpoint,
 * the texts newer revisions replaced stored as deltas (content.ts planPacks, applyPacks), and the
 * texts saves stored raw deflated (planCompress, applyCompress): the work done without a lock,
 * then written in a short transaction, so saves wait for it a few milliseconds at most.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ContentStore, type CompressPlan, type PackPlan } from './content.js';

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
const packs = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'content_fresh'").get() !== undefined;
const content = packs ? new ContentStore(db) : undefined;
// The deltas are worked out outside the write transaction, which then only writes them: the lock
// is held for a few row writes, not for the tens of milliseconds a megabyte-long text's delta takes.
const writePlan = db.transaction((plan: PackPlan) => content!.applyPacks(plan));
const writeCompressed = db.transaction((plan: CompressPlan) => content!.applyCompress(plan));

let failedSaid = 0;
/**
 * Pack first: a replaced text becomes a delta and need not be deflated. Then deflate the texts
 * still whole and raw (mostly pages' latest texts). Each for at most PACK_ROUND_MS.
 */
const pack = async (): Promise<void> => {
  if (!content) return;
  try {
    if (content.anyQueued()) {
      await inRounds(() => {
        const r = writePlan.immediate(content.planPacks(PACK_BATCH, PACK_BYTES));
        if (r.failed > failedSaid) {
          failedSaid = r.failed;
          console.error(`peerwiki: ${r.failed} replaced text(s) could not be stored as deltas and stay whole (run npm run wiki -- check)`);
        }
        return r.queued;
      });
    }
    if (content.anyFresh()) await inRounds(() => writeCompressed.immediate(content.planCompress(PACK_BATCH, PACK_BYTES)));
  } catch {
    // Busy: the next round goes on from the same queue.
  }
};

/** Run `batch` (which returns how much is still queued) until nothing is, or PACK_ROUND_MS have passed. */
async function inRounds(batch: () => number): Promise<void> {
  const until = Date.now() + PACK_ROUND_MS;
  for (;;) {
    if (batch() === 0 || Date.now() >= until) return;
    // Between batches the lock is free: a save waiting on it goes first.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

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
