/**
 * A baseline server, run as its own process: `node baseline.js express|http BODY_FILE [WORKERS]`
 * answers every GET /wiki/... with the bytes of BODY_FILE (a captured page view), and nothing else;
 * with WORKERS above 1 from that many node:cluster workers on one port, as the wiki serves.
 */
import cluster from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const [kind, file, count = '1'] = process.argv.slice(2);
const workers = Number(count);
if ((kind !== 'express' && kind !== 'http') || !file || !Number.isInteger(workers) || workers < 1) {
  console.error('usage: node baseline.js express|http BODY_FILE [WORKERS]');
  process.exit(2);
}
const body = readFileSync(file);

/** Express with what the wiki also turns off (no automatic ETag, no X-Powered-By): the floor of any Express app. */
function expressApp(): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/wiki/*title', (_req, res) => {
    res.type('html').send(body);
  });
  return app;
}

/** Plain node:http: the least any Node server can do to send these bytes. */
const plain: RequestListener = (req, res) => {
  if (req.method !== 'GET' || !req.url?.startsWith('/wiki/')) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
};

/** Serve on a free port of 127.0.0.1 (cluster workers all get the same one); `ready` gets the port. */
function serve(ready: (port: number) => void): void {
  const server = createServer(kind === 'express' ? expressApp() : plain);
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The primary forks the workers, says where once all of them listen, and stops them when told to. */
function primary(): void {
  let listening = 0;
  let stopping = false;
  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) console.log(`listening on http://127.0.0.1:${address.port}`);
  });
  cluster.on('exit', (_worker, code, signal) => {
    if (!stopping) {
      console.error(`a baseline worker exited (${signal ?? `code ${code}`})`);
      process.exit(1);
    }
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = () => {
    stopping = true;
    // Each worker closes its server, then exits.
    cluster.disconnect(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (workers === 1) serve((port) => console.log(`listening on http://127.0.0.1:${port}`));
else if (cluster.isPrimary) primary();
else serve(() => undefined);
