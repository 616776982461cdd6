/** IP addresses and CIDR ranges: canonical forms, sortable keys, membership, and the client behind proxies (pure). */
import { InvalidInputError } from './errors.js';

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  /** Canonical text: dotted decimal without leading zeros, or RFC 5952 IPv6 (lower case, `::` compressed). */
  readonly text: string;
  readonly value: bigint;
}

export interface IpRange {
  readonly version: IpVersion;
  readonly prefix: number;
  /** Canonical: the bare address for a one-address range, else network address + `/prefix`. */
  readonly text: string;
  readonly first: bigint;
  readonly last: bigint;
}

/** The widest ranges an admin may block, as MediaWiki's $wgBlockCIDRLimit: IPv4 /16, IPv6 /19. */
export const WIDEST_BLOCK = { 4: 16, 6: 19 } as const;
const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96 holds IPv4 addresses written as IPv6

// Each octet is read as decimal even with leading zeros ("010" is 10, not octal 8), as MediaWiki's
// IPUtils::sanitizeIP does: it is what a person typing a block target means, and Node's sockets
// never write leading zeros, so no peer address can be read two ways.
function parseV4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let v = 0n;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(input: string): bigint | undefined {
  let s = input;
  if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(':')) return undefined;
  if (s.includes('.')) {
    // A dotted IPv4 tail stands for the last two groups.
    const cut = s.lastIndexOf(':');
    const v4 = parseV4(s.slice(cut + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, cut + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 1 || halves[1] === '' ? [] : halves[1]!.split(':');
  if (![...head, ...tail].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  // "::" stands for at least one zero group (RFC 4291 section 2.2).
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) return undefined;
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The address as written, before IPv4-mapped IPv6 is turned into IPv4. */
function parseRaw(s: string): { version: IpVersion; value: bigint } | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first of equal runs.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

function format(version: IpVersion, value: bigint): string {
  if (version === 6) return formatV6(value);
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

const isMapped = (value: bigint) => value >> 32n === MAPPED_PREFIX;

function address(version: IpVersion, value: bigint): IpAddress {
  return { version, value, text: format(version, value) };
}

/**
 * An IPv4 or IPv6 address in canonical form; IPv4-mapped IPv6 (`::ffff:10.0.0.5`) becomes IPv4.
 * undefined when `text` is not an address (zone ids, ports and brackets are not addresses).
 */
export function parseAddress(text: string): IpAddress | undefined {
  const raw = parseRaw(text.trim());
  if (!raw) return undefined;
  if (raw.version === 6 && isMapped(raw.value)) return address(4, raw.value & 0xffffffffn);
  return address(raw.version, raw.value);
}

/** The canonical text of an address; undefined when `text` is not one. */
export function canonicalAddress(text: string): string | undefined {
  return parseAddress(text)?.text;
}

function range(version: IpVersion, base: bigint, prefix: number): IpRange {
  const host = (1n << BigInt(BITS[version] - prefix)) - 1n;
  const first = base & ~host;
  const text = prefix === BITS[version] ? format(version, first) : `${format(version, first)}/${prefix}`;
  return { version, prefix, first, last: first | host, text };
}

/**
 * An address (a range of one) or CIDR range of any width, host bits cleared (`10.0.0.9/24` is
 * `10.0.0.0/24`); IPv4-mapped IPv6 ranges of /96 or narrower become IPv4 ranges.
 * undefined when `text` is neither.
 */
export function parseCidr(text: string): IpRange | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const raw = parseRaw(m[1]!);
  if (!raw) return undefined;
  const prefix = m[2] === undefined ? BITS[raw.version] : Number(m[2]);
  if (prefix > BITS[raw.version]) return undefined;
  if (raw.version === 6 && isMapped(raw.value) && prefix >= 96) return range(4, raw.value & 0xffffffffn, prefix - 96);
  return range(raw.version, raw.value, prefix);
}

/**
 * A block target that is an address or range, within the widths MediaWiki allows
 * (IPv4 /16 to /32, IPv6 /19 to /128). undefined when `text` is not address-like (a user name).
 * @throws InvalidInputError for an address with a bad or too wide prefix.
 */
export function parseBlockRange(text: string): IpRange | undefined {
  const [base, prefix] = text.trim().split('/', 2);
  if (prefix === undefined) return parseCidr(text);
  const raw = parseRaw(base!);
  if (!raw) return undefined;
  const r = parseCidr(text);
  if (!r || r.prefix < WIDEST_BLOCK[r.version]) {
    throw new InvalidInputError(`target: "${text.trim()}" is not a range that can be blocked; write an address, or a range from /16 to /32 for IPv4 (10.0.0.0/24) or /19 to /128 for IPv6 (2001:db8::/48).`);
  }
  return r;
}

/** Whether `addr` lies in `r`. IPv4 addresses are never in IPv6 ranges, nor the other way. */
export function inRange(addr: IpAddress, r: IpRange): boolean {
  return addr.version === r.version && addr.value >= r.first && addr.value <= r.last;
}

/**
 * A text key that sorts as the address does: 8 hex digits for IPv4, `v6-` and 32 for IPv6 (as
 * MediaWiki's IPUtils::toHex), so the two families never interleave and ranges compare as text.
 */
export function addressKey(version: IpVersion, value: bigint): string {
  return version === 4 ? value.toString(16).padStart(8, '0') : `v6-${value.toString(16).padStart(32, '0')}`;
}

/** The first and last keys of a range, as stored with a block. */
export function rangeKeys(r: IpRange): { start: string; end: string } {
  return { start: addressKey(r.version, r.first), end: addressKey(r.version, r.last) };
}

/**
 * The keys to look an address up among blocked ranges: `key` itself and `floor`, the start of the
 * widest blockable range holding it. Every range holding the address starts between the two,
 * so the lookup reads one bounded stretch of the index.
 */
export function lookupKeys(addr: IpAddress): { key: string; floor: string } {
  const widest = range(addr.version, addr.value, WIDEST_BLOCK[addr.version]);
  return { key: addressKey(addr.version, addr.value), floor: addressKey(addr.version, widest.first) };
}

/**
 * Whom per-address rate limits count: the IPv4 address, or the IPv6 /64 holding it (one
 * household or host usually has a whole /64, so counting single IPv6 addresses counts nothing).
 */
export function limitSubject(ip: string | undefined): string {
  const addr = ip === undefined ? undefined : parseAddress(ip);
  if (!addr) return '?';
  return addr.version === 4 ? addr.text : range(6, addr.value, 64).text;
}

/** One X-Forwarded-For entry: an address, optionally `[v6]:port` or `v4:port` as some proxies write. */
function forwardedHop(entry: string): IpAddress | undefined {
  const s = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) return parseAddress(bracketed[1]!);
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  return parseAddress(v4port ? v4port[1]! : s);
}

/**
 * The client's canonical address (SPEC section 6): the TCP peer's, or, only when the peer is a
 * trusted proxy, the last X-Forwarded-For hop that is not trusted (walking right to left, since
 * each proxy appends the peer it saw and only the entries our own proxies wrote can be believed).
 * When every hop is trusted, the leftmost; when a trusted proxy wrote something that is not an
 * address, the walk stops at that proxy. undefined only when the peer is unknown.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: readonly IpRange[]): string | undefined {
  // Node writes link-local peers with a zone id ("fe80::1%eth0"); the zone names our interface, not them.
  const from = peer === undefined ? undefined : parseAddress(peer.replace(/%.*$/, ''));
  if (!from) return undefined;
  const isTrusted = (a: IpAddress) => trusted.some((r) => inRange(a, r));
  let client = from;
  if (!forwardedFor || !isTrusted(client)) return client.text;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0 && isTrusted(client); i--) {
    const hop = forwardedHop(hops[i]!);
    if (!hop) break;
    client = hop;
  }
  return client.text;
}
