/** Process entry: config → open and migrate the database → seed → listen; SIGTERM/SIGINT drain and exit 0. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { openWiki } from './bootstrap.js';
import { createApp } from './app.js';
import { Limits } from './http/limits.js';
import { closeDatabase } from './db/connection.js';

function fail(message: string): never {
  console.error(`peerwiki: ${message}`);
  process.exit(1);
}

function start(): void {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  let wiki;
  try {
    wiki = openWiki(config);
  } catch (e) {
    fail(`cannot open the database ${config.dbFile}: ${(e as Error).message}`);
  }
  if (wiki.seeded) console.log(`seeded ${wiki.seeded} starter pages`);
  const limits = new Limits(config);
  const server = createServer(createApp(wiki, limits));
  server.keepAliveTimeout = 5_000;
  server.on('error', (e: NodeJS.ErrnoException) => {
    fail(e.code === 'EADDRINUSE' ? `port ${config.port} is in use; set PORT to another port (or 0 for any free one).` : e.message);
  });
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    console.log(`listening on http://${host}:${port}`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then closing the database`);
    // Stop accepting connections; idle keep-alive sockets are closed so close() can finish.
    server.close(() => {
      limits.close();
      void wiki.workers.close().finally(() => {
        closeDatabase(wiki.db);
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
    }, 5_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start();
