/** Sending pages: the view context of a request, HTML responses, and ETag / 304 for cacheable views. */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Html } from '../../views/html.js';
import type { ViewContext } from '../../views/context.js';
import './context.js';

let anonEditsDefault = true;

/** Set once by createApp so error pages (which have no deps) know the setting. */
export function setViewDefaults(o: { anonEdits: boolean }): void {
  anonEditsDefault = o.anonEdits;
}

export function pageContext(req: Request): ViewContext {
  return { actor: req.actor, csrfToken: req.csrfToken ?? '', path: req.originalUrl, anonEdits: anonEditsDefault };
}

export function sendHtml(res: Response, body: Html, status = 200): void {
  res.status(status).type('html').send(body.value);
}

/**
 * An ETag for a page that depends only on the given facts and on who is looking (the page embeds
 * the viewer's name and CSRF token). Answers 304 and returns true when the client already has it.
 */
export function notModified(req: Request, res: Response, facts: string): boolean {
  const viewer = createHash('sha1').update(`${req.actor?.id ?? 0}:${req.actor?.name ?? ''}:${req.actor?.kind ?? ''}:${req.actor?.role ?? ''}:${req.csrfToken}`).digest('base64url').slice(0, 12);
  const etag = `W/"${facts}-${viewer}"`;
  res.set('ETag', etag);
  res.set('Cache-Control', 'private, no-cache');
  const sent = req.get('if-none-match');
  if (sent && sent.split(/\s*,\s*/).includes(etag)) {
    res.status(304).end();
    return true;
  }
  return false;
}

export function isHtmx(req: Request): boolean {
  return req.get('hx-request') === 'true';
}
