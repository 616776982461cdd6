/**
 * A baseline server, run as its own process: `node baseline.js express|http BODY_FILE` answers every
 * GET /wiki/... with the bytes of BODY_FILE (a captured page view), and nothing else.
 */
import { createServer, type RequestListener } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';

const [kind, file] = process.argv.slice(2);
if ((kind !== 'express' && kind !== 'http') || !file) {
  console.error('usage: node baseline.js express|http BODY_FILE');
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

const server = createServer(kind === 'express' ? expressApp() : plain);
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
