/** Sets req.ip to the client's canonical address: the TCP peer, or what trusted proxies say it was (SPEC section 6). */
import type { IncomingMessage } from 'node:http';
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
  const addressOf = clientAddressOf(trustedProxies);
  return (req, _res, next) => {
    const ip = addressOf(req);
    // An own property shadows Express's `ip` getter on the request prototype.
    Object.defineProperty(req, 'ip', { value: ip, configurable: true, enumerable: true, writable: false });
    next();
  };
}

/** The rule clientAddress applies, for a request Express never sees (the API save lane). @throws as clientAddress. */
export function clientAddressOf(trustedProxies: readonly string[]): (req: IncomingMessage) => string | undefined {
  const trusted: IpRange[] = trustedProxies.map((entry) => {
    const r = parseCidr(entry);
    if (!r) throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
    return r;
  });
  return (req) => {
    // Node joins repeated X-Forwarded-For headers with ", ", in order; an array is joined the same way.
    const header = req.headers['x-forwarded-for'];
    const forwarded = Array.isArray(header) ? header.join(',') : header;
    return resolveClientAddress(req.socket.remoteAddress, forwarded, trusted);
  };
}
