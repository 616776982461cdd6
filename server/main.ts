/**
 * Process entry: config → open, migrate and seed the database once → listen, in this process
 * (WIKI_WORKERS=1) or in WIKI_WORKERS cluster workers (cluster.ts); SIGTERM/SIGINT drain and exit 0.
 */
import cluster from 'node:cluster';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openWiki, type Wiki } from './bootstrap.js';
import { closeDatabase } from './db/connection.js';
import { checkpointBeside } from './db/checkpointer.js';
import { canTrimAllocator } from './memory.js';
import { ViewStore, viewStoreDir } from './db/viewStore.js';
import { runPrimary, urlOf, workerCheckpoints, workerFatal, workerPort } from './cluster.js';
import { flushSearchQueue, searchQueueSettled } from './wiki/searchQueue.js';

/** Say why this process cannot serve and exit 1; a worker tells the primary instead, which says it once. */
function die(message: string): void {
  if (cluster.isWorker) return workerFatal(message);
  console.error(`peerwiki: ${message}`);
  process.exit(1);
}

/** The wiki's dependencies as this process needs them, or undefined after die(). */
function open(config: Config, prepared: boolean, background: boolean): Wiki | undefined {
  try {
    return openWiki(config, undefined, { prepared, background });
  } catch (e) {
    die(`cannot open the database ${config.dbFile}: ${(e as Error).message}`);
    return undefined;
  }
}

/** Stop what a process holds besides its sockets: text processes, the purge queue, the database. */
async function closeWiki(wiki: Wiki): Promise<void> {
  await wiki.workers.close();
  // Before the database: PURGEs still queued go out (for a bounded time) first.
  await wiki.purger.close();
  // Mail still queued goes out (each message tried a bounded number of times) before the process ends.
  await wiki.mail.idle();
  wiki.mail.close();
  // Search entries still queued are written now rather than by the next start.
  try {
    await searchQueueSettled(wiki.stores);
    flushSearchQueue(wiki.stores);
  } catch (e) {
    // What stays queued is indexed when the wiki next opens.
    console.error(e);
  }
  wiki.stores.stamps.close();
  closeDatabase(wiki.db);
}

/**
 * Serve `wiki` over HTTP on `port` until SIGTERM/SIGINT, then drain: stop accepting, let requests
 * in flight finish (idle keep-alive sockets are closed at once, the rest after 5 s), close
 * everything and exit 0. `ready` gets the port actually bound.
 */
async function serve(config: Config, wiki: Wiki, port: number, ready: (port: number) => void): Promise<void> {
  // Loaded here, not at the top: a cluster's primary never serves, and starts faster without them.
  const [{ createApp, serving }, { Limits }, { ViewCache }, { viewGeneration }] = await Promise.all([
    import('./app.js'), import('./http/limits.js'), import('./http/viewCache.js'), import('./http/generation.js'),
  ]);
  const limits = Limits.inDatabase(config, wiki.db);
  const shared = new ViewStore(viewStoreDir(config.dbFile), viewGeneration(config), {
    onError: (e) => console.error(`peerwiki: the view store skipped a write: ${(e as Error).message}`),
  });
  const views = new ViewCache(wiki.stores, undefined, shared);
  wiki.stores.stamps.open();
  // A serving process leaves WAL checkpoints to a thread (db/checkpointer.ts): never inside a
  // request. A cluster's primary runs that thread for all its workers.
  canTrimAllocator(); // loaded now, not in the middle of serving (memory.ts)
  const checkpoints = cluster.isWorker ? workerCheckpoints(wiki.db) : checkpointBeside(wiki.db, config.dbFile);
  const server = createServer(serving(createApp(wiki, limits, views)));
  server.keepAliveTimeout = 5_000;
  server.on('error', (e: NodeJS.ErrnoException) => {
    die(e.code === 'EADDRINUSE' ? `port ${config.port} is in use; set PORT to another port (or 0 for any free one).` : e.message);
  });
  server.listen(port, config.host, () => ready((server.address() as AddressInfo).port));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (cluster.isPrimary) console.log(`${signal}: finishing requests in flight, then closing the database`);
    server.close(() => {
      limits.close();
      shared.close();
      void Promise.resolve(checkpoints?.stop())
        .then(() => closeWiki(wiki))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
    }, 5_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Drop the views an older build or other settings made from the shared view store
 * (db/viewStore.ts), once per start, before any worker serves. False after die().
 */
async function clearViews(config: Config): Promise<boolean> {
  try {
    const { viewGeneration } = await import('./http/generation.js');
    const store = new ViewStore(viewStoreDir(config.dbFile), viewGeneration(config));
    try {
      store.dropOtherGenerations();
      // Where earlier builds kept views (a SQLite file): no longer read.
      const legacy = `${viewStoreDir(config.dbFile)}.db`;
      if (config.dbFile !== ':memory:') for (const f of [legacy, `${legacy}-wal`, `${legacy}-shm`]) rmSync(f, { force: true });
    } finally {
      store.close();
    }
    return true;
  } catch (e) {
    die(`cannot open the view store ${viewStoreDir(config.dbFile)}: ${(e as Error).message}`);
    return false;
  }
}

/** The primary of a cluster: the start-up work once, then the database closed before forking. */
async function prepareAndFork(config: Config): Promise<void> {
  const wiki = open(config, false, false);
  if (!wiki) return;
  if (!(await clearViews(config))) return;
  if (wiki.seeded) console.log(`seeded ${wiki.seeded} starter pages`);
  await closeWiki(wiki);
  runPrimary(config);
}

async function start(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) return die(e.message);
    throw e;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    void prepareAndFork(config);
    return;
  }
  // The first worker (or the only process) fills in missing authorship in the background.
  const wiki = open(config, cluster.isWorker, !cluster.isWorker || cluster.worker?.id === 1);
  if (!wiki) return;
  if (!cluster.isWorker && !(await clearViews(config))) return;
  if (cluster.isWorker) {
    // Not part of the contract: a line per worker for people (and tests) watching start-up.
    void serve(config, wiki, workerPort(config), () => console.log(`worker ${process.pid} ready`));
    return;
  }
  if (wiki.seeded) console.log(`seeded ${wiki.seeded} starter pages`);
  void serve(config, wiki, config.port, (port) => console.log(`listening on ${urlOf(config.host, port)}`));
}

void start();
