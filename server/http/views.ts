/** Sending pages: the view context of a request and HTML responses (validators: freshness.ts). */
import type { Request, Response } from 'express';
import { Html, type Piece } from '../../views/html.js';
import type { AssetUrls, ViewContext } from '../../views/context.js';
import { assetUrl } from './assets.js';
import { PRIVATE } from './freshness.js';
import './context.js';

// assetUrl hashes each file once, when http/assets.ts loads.
const assets = (): AssetUrls => ({
  css: assetUrl('peerwiki.css'),
  print: assetUrl('print.css'),
  js: assetUrl('peerwiki.js'),
  htmx: assetUrl('htmx.min.js'),
  favicon: assetUrl('favicon.svg'),
});

/** What the templates know of this request: who is looking, what they may do, the form token. */
export function pageContext(req: Request): ViewContext {
  return {
    actor: req.actor,
    get csrfToken() {
      return req.csrfToken ?? '';
    },
    tokenMade: () => req.csrfMade?.() ?? false,
    path: req.originalUrl,
    anonEdits: req.can.anonEdits,
    can: req.can,
    exists: req.pageExists,
    assets: assets(),
    get alerts() {
      return req.alerts?.();
    },
    get block() {
      return req.can.block();
    },
  };
}

/** UTF-16 units per write of a large body. */
const SLICE = 64 * 1024;

export function sendHtml(res: Response, body: Html, status = 200): void {
  // A page holding this browser's form token is that browser's alone: no shared cache may keep it.
  if (res.req.csrfMade?.()) res.set('Cache-Control', PRIVATE);
  sendText(res.status(status).type('html'), body);
}

/** Send a text body (status and type already set): at once when short, else in slices (sendInSlices). */
export function sendText(res: Response, text: Piece | Html): void {
  const body = text instanceof Html ? text : new Html(text);
  if (body.length <= 4 * SLICE) res.send(body.value);
  else void sendInSlices(res, body.pieces);
}

/** When the socket has taken what was written, or the client has gone; its listeners removed either way. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * A body of megabytes (a first view of a 1 MiB page) in slices, each encoded and written when the
 * socket has taken the last: one write of it all holds the event loop for over 50 ms encoding it
 * and as long again in the kernel, while every other reader waits. Piece by piece (Html keeps a long
 * article apart from its chrome), so no piece is joined to another first; bytes go as they are.
 */
async function sendInSlices(res: Response, pieces: readonly Piece[]): Promise<void> {
  let bytes = 0;
  for (const p of pieces) bytes += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
  res.set('Content-Length', String(bytes));
  for (const p of pieces) {
    for (let at = 0; at < p.length && !res.destroyed; ) {
      let end = Math.min(p.length, at + SLICE);
      let flushed: boolean;
      if (typeof p === 'string') {
        // Never between the two halves of a surrogate pair: each slice must encode on its own.
        if (end < p.length && /[\ud800-\udbff]/.test(p[end - 1]!)) end -= 1;
        flushed = res.write(p.slice(at, end));
      } else {
        flushed = res.write(p.subarray(at, end));
      }
      at = end;
      if (!flushed) await drainedOrClosed(res);
      // Others get a turn between slices all the same. A reader as fast as loopback takes each
      // slice at once, and 'drain' then comes in a nextTick of the same task: awaiting it alone
      // wrote a 5.6 MB page in one stretch of 47 ms while every other request waited.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  res.end();
}

export function isHtmx(req: Request): boolean {
  return req.get('hx-request') === 'true';
}
