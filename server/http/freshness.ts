/**
 * Validators and cache headers (SPEC section 9): a strong ETag built from what a response depends
 * on, Last-Modified, Cache-Control that lets shared caches (Varnish, a CDN) keep anonymous pages
 * and never another person's, and 304 for If-None-Match.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Right } from '../wiki/rights.js';
import './context.js';

/**
 * Anonymous pages: browsers revalidate every time (max-age=0); shared caches keep them five hours,
 * as MediaWiki's CDN does, because every change purges what it made stale; past that they may serve
 * the old copy for an hour while they fetch the new one.
 */
export const SHARED_PAGE = 'public, max-age=0, s-maxage=18000, stale-while-revalidate=3600';
/** Lists that change with every edit (recent changes, the review queue, search): no purges, ten seconds. */
export const SHARED_LIST = 'public, max-age=0, s-maxage=10, stale-while-revalidate=10';
/** A signed-in reader's page: only their browser keeps it, and asks again every time. */
export const PRIVATE = 'private, no-cache';
/** API reads: any cache may store them but must ask every time (the ETag makes that cheap). */
export const API_READ = 'no-cache';

/** A request that carries no credentials: what it gets is the same for every such reader. */
export function isAnonymous(req: Request): boolean {
  return req.authVia === 'none' && req.actor === undefined;
}

/** The rights whose links or facts a page shows to the one who has them. */
const VIEWER_RIGHTS: readonly Right[] = ['view-ip', 'rollback', 'patrol', 'block', 'protect', 'delete'];

/**
 * What a signed-in reader's page depends on besides the content: who they are, what they may do
 * (admin links, addresses; a block changes it) and the token in their forms. Anonymous pages do
 * not depend on the reader at all.
 */
function viewerPart(req: Request): string {
  if (isAnonymous(req)) return 'anon';
  const rights = VIEWER_RIGHTS.map((r) => (req.can(r) ? 1 : 0)).join('');
  const a = req.actor;
  // The header's new-messages bar and unread count are part of what the viewer sees.
  const al = req.alerts?.();
  const alerts = al ? `${al.unread}:${al.newMessages?.fromRevision ?? ''}` : '';
  return createHash('sha1').update(`${a?.id ?? 0}:${a?.name ?? ''}:${a?.kind ?? ''}:${rights}:${req.csrfToken}:${alerts}`).digest('base64url').slice(0, 12);
}

/**
 * Whether If-None-Match names `etag`. The comparison is weak, as RFC 9110 asks for this header:
 * W/"x" and "x" match.
 */
export function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

/** An HTTP-date for Last-Modified, from a stored ISO time. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

export interface Freshness {
  /** What the content depends on (revision ids, stamps, versions): no quotes, no spaces. */
  facts: string;
  /** When the content last changed (ISO), for Last-Modified. */
  modified?: string;
  /** 'page' (purged on change, kept long) or 'list' (changes with every edit, kept seconds). */
  kind: 'page' | 'list';
}

/**
 * Set ETag, Last-Modified, Cache-Control and Vary for a response that depends on `f` and on who is
 * reading; answer 304 and return true when the client (or a cache on its behalf) already has it.
 */
export function notModified(req: Request, res: Response, f: Freshness): boolean {
  const etag = `"${f.facts}-${viewerPart(req)}"`;
  res.set('ETag', etag);
  if (f.modified) res.set('Last-Modified', httpDate(f.modified));
  res.set('Cache-Control', isAnonymous(req) ? (f.kind === 'page' ? SHARED_PAGE : SHARED_LIST) : PRIVATE);
  // A cache in front keeps one copy for readers without a session and never hands it to one with.
  res.vary('Cookie');
  if (matches(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return true;
  }
  return false;
}

/** Cache-Control for a page without validators (a list, a missing page): shared only when anonymous. */
export function cacheFor(req: Request, res: Response, kind: 'page' | 'list'): void {
  res.set('Cache-Control', isAnonymous(req) ? (kind === 'page' ? SHARED_PAGE : SHARED_LIST) : PRIVATE);
  res.vary('Cookie');
}
