/** Sets req.ip to the client's canonical address: the TCP peer, or what trusted proxies say it was (SPEC section 6). */
import type { RequestHandler } from 'express';
import { parseCidr, resolveClientAddress, type IpRange } from '../../wiki/address.js';

/**
 * Build the middleware once, with the proxies whose X-Forwarded-For is believed. It replaces
 * Express's own `trust proxy` (which the app turns off), so every reader of `req.ip` (blocks,
 * rate limits, the address kept with anonymous edits) sees one canonical address.
 * @throws Error at start-up for an entry that is not an address or CIDR range (config.ts
 *   refuses those earlier, with the variable's name).
 */
export function clientAddress(trustedProxies: readonly string[]): RequestHandler {
  const trusted: IpRange[] = trustedProxies.map((entry) => {
    const r = parseCidr(entry);
    if (!r) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
    return r;
  });
  return (req, _res, next) => {
    // Node joins repeated X-Forwarded-For headers with ", ", in order; an array is joined the same way.
    const header = req.headers['x-forwarded-for'];
    const forwarded = Array.isArray(header) ? header.join(',') : header;
    const ip = resolveClientAddress(req.socket.remoteAddress, forwarded, trusted);
    // An own property shadows Express's `ip` getter on the request prototype.
    Object.defineProperty(req, 'ip', { value: ip, configurable: true, enumerable: true, writable: false });
    next();
  };
}
