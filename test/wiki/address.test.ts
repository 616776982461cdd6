import { describe, expect, it } from 'vitest';
import {
  addressKey, canonicalAddress, inRange, limitSubject, lookupKeys, parseAddress, parseBlockRange, parseCidr, rangeKeys,
  resolveClientAddress, type IpRange,
} from '../../server/wiki/address.js';
import { InvalidInputError } from '../../server/wiki/errors.js';

describe('canonical addresses', () => {
  it.each([
    { name: 'plain IPv4', input: '10.0.0.5', out: '10.0.0.5' },
    { name: 'leading zeros are decimal (as MediaWiki IPUtils)', input: '010.000.000.005', out: '10.0.0.5' },
    { name: 'leading zero 255', input: '255.255.255.255', out: '255.255.255.255' },
    { name: 'surrounding spaces', input: '  10.0.0.5 ', out: '10.0.0.5' },
    { name: 'IPv4-mapped IPv6', input: '::ffff:10.0.0.5', out: '10.0.0.5' },
    { name: 'IPv4-mapped IPv6, upper case', input: '::FFFF:10.0.0.5', out: '10.0.0.5' },
    { name: 'IPv4-mapped IPv6 in hex', input: '::ffff:a00:5', out: '10.0.0.5' },
    { name: 'IPv4-mapped IPv6 written in full', input: '0:0:0:0:0:ffff:0a00:0005', out: '10.0.0.5' },
    { name: 'IPv4-mapped with leading zeros', input: '::ffff:010.000.000.005', out: '10.0.0.5' },
    { name: 'loopback IPv6', input: '::1', out: '::1' },
    { name: 'unspecified', input: '::', out: '::' },
    { name: 'IPv6 upper case and leading zeros', input: '2001:0DB8:0000:0000:0000:0000:0000:0001', out: '2001:db8::1' },
    { name: 'IPv6 longest zero run compressed', input: '2001:db8:0:0:1:0:0:0', out: '2001:db8:0:0:1::' },
    { name: 'IPv6 first of equal runs compressed', input: '2001:0:0:1:0:0:1:1', out: '2001::1:0:0:1:1' },
    { name: 'IPv6 single zero group not compressed', input: '2001:db8:0:1:1:1:1:1', out: '2001:db8:0:1:1:1:1:1' },
    { name: 'IPv6 written with :: already', input: '2001:db8::0:1', out: '2001:db8::1' },
    { name: 'IPv4-compatible (not mapped) stays IPv6', input: '::10.0.0.5', out: '::a00:5' },
    { name: 'NAT64 stays IPv6', input: '64:ff9b::10.0.0.5', out: '64:ff9b::a00:5' },
  ])('$name: $input → $out', ({ input, out }) => {
    expect(canonicalAddress(input)).toBe(out);
  });

  it.each([
    { name: 'empty', input: '' },
    { name: 'an octet over 255', input: '10.0.0.256' },
    { name: 'four-digit octet', input: '0010.0.0.5' },
    { name: 'three octets', input: '10.0.5' },
    { name: 'one integer (inet_aton form)', input: '167772165' },
    { name: 'hex octets', input: '0x0a.0.0.5' },
    { name: 'IPv4 with port', input: '10.0.0.5:80' },
    { name: 'a zone id', input: 'fe80::1%eth0' },
    { name: 'brackets', input: '[::1]' },
    { name: 'two ::', input: '1::2::3' },
    { name: 'nine groups', input: '1:2:3:4:5:6:7:8:9' },
    { name: ':: standing for no group', input: '1:2:3:4::5:6:7:8' },
    { name: 'seven groups, no ::', input: '1:2:3:4:5:6:7' },
    { name: 'a five-digit group', input: '2001:db8::12345' },
    { name: 'IPv4 not at the end', input: '::1.2.3.4:5' },
    { name: 'a user name', input: 'Admin' },
    { name: 'a range', input: '10.0.0.0/24' },
  ])('$name ($input) is not an address', ({ input }) => {
    expect(parseAddress(input)).toBeUndefined();
  });
});

describe('ranges', () => {
  it.each([
    { name: 'IPv4 /24', input: '10.0.0.0/24', text: '10.0.0.0/24', first: '0a000000', last: '0a0000ff' },
    { name: 'host bits cleared', input: '10.0.0.77/24', text: '10.0.0.0/24', first: '0a000000', last: '0a0000ff' },
    { name: 'a /32 is the address', input: '10.0.0.5/32', text: '10.0.0.5', first: '0a000005', last: '0a000005' },
    { name: 'a bare address', input: '010.0.0.5', text: '10.0.0.5', first: '0a000005', last: '0a000005' },
    { name: 'mapped IPv6 /120 is IPv4 /24', input: '::ffff:10.0.0.0/120', text: '10.0.0.0/24', first: '0a000000', last: '0a0000ff' },
    { name: 'IPv6 /64', input: '2001:db8:1:2:3::/64', text: '2001:db8:1:2::/64', first: 'v6-20010db8000100020000000000000000', last: 'v6-20010db800010002ffffffffffffffff' },
  ])('$name', ({ input, text, first, last }) => {
    const r = parseCidr(input)!;
    expect(r.text).toBe(text);
    expect(rangeKeys(r)).toEqual({ start: first, end: last });
  });

  it.each([
    { name: 'IPv4 prefix 33', input: '10.0.0.0/33' },
    { name: 'IPv6 prefix 129', input: '::/129' },
    { name: 'no prefix digits', input: '10.0.0.0/' },
    { name: 'two slashes', input: '10.0.0.0/24/8' },
    { name: 'a name', input: 'Admin/24' },
  ])('$name is not a range', ({ input }) => {
    expect(parseCidr(input)).toBeUndefined();
  });

  it.each([
    { name: 'IPv4 /16, the widest', input: '10.1.0.0/16', text: '10.1.0.0/16' },
    { name: 'IPv4 /32', input: '10.1.2.3/32', text: '10.1.2.3' },
    { name: 'IPv6 /19, the widest', input: '2001:fdb8::/19', text: '2001:e000::/19' },
    { name: 'IPv6 /128', input: '2001:db8::1/128', text: '2001:db8::1' },
    { name: 'an address', input: '::ffff:10.0.0.5', text: '10.0.0.5' },
  ])('blocks $name', ({ input, text }) => {
    expect(parseBlockRange(input)?.text).toBe(text);
  });

  it.each([
    { name: 'IPv4 /15', input: '10.0.0.0/15' },
    { name: 'IPv4 /0', input: '0.0.0.0/0' },
    { name: 'IPv6 /18', input: '2001:db8::/18' },
    { name: 'IPv4 /33', input: '10.0.0.0/33' },
    { name: 'mapped IPv6 wider than IPv4 /16', input: '::ffff:10.0.0.0/100' },
  ])('refuses to block $name (400 saying what to write)', ({ input }) => {
    expect(() => parseBlockRange(input)).toThrow(InvalidInputError);
    expect(() => parseBlockRange(input)).toThrow(/\/16 to \/32 for IPv4/);
  });

  it('takes user names (even with a slash) as not ranges', () => {
    expect(parseBlockRange('Admin')).toBeUndefined();
    expect(parseBlockRange('Some/thing')).toBeUndefined();
  });

  it.each([
    { name: 'inside a /24', addr: '10.0.0.77', range: '10.0.0.0/24', inside: true },
    { name: 'mapped form inside a /24', addr: '::ffff:10.0.0.77', range: '10.0.0.0/24', inside: true },
    { name: 'just outside a /24', addr: '10.0.1.0', range: '10.0.0.0/24', inside: false },
    { name: 'IPv6 inside a /64', addr: '2001:db8:0:1::abcd', range: '2001:db8:0:1::/64', inside: true },
    { name: 'IPv6 outside a /64', addr: '2001:db8:0:2::1', range: '2001:db8:0:1::/64', inside: false },
    { name: 'IPv4 is never in an IPv6 range holding ::ffff:0:0/96', addr: '10.0.0.5', range: '::/19', inside: false },
  ])('$name', ({ addr, range, inside }) => {
    expect(inRange(parseAddress(addr)!, parseCidr(range)!)).toBe(inside);
  });

  it('keys sort as addresses do, IPv4 before IPv6, so ranges compare as text', () => {
    const keys = ['9.255.255.255', '10.0.0.5', '10.0.0.10', '100.0.0.1', '::1', '2001:db8::1'].map((a) => {
      const p = parseAddress(a)!;
      return addressKey(p.version, p.value);
    });
    expect([...keys].sort()).toEqual(keys);
  });

  it('looks an address up from the start of the widest blockable range around it', () => {
    expect(lookupKeys(parseAddress('10.1.2.3')!)).toEqual({ key: '0a010203', floor: '0a010000' });
    expect(lookupKeys(parseAddress('2001:fdb8::1')!).floor).toBe('v6-2001e000000000000000000000000000');
  });

  it('counts IPv6 clients by /64 for rate limits, IPv4 by address', () => {
    expect(limitSubject('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(limitSubject('2001:db8:0:1::1')).toBe(limitSubject('2001:db8:0:1:ffff::2'));
    expect(limitSubject('2001:db8:0:1::1')).toBe('2001:db8:0:1::/64');
    expect(limitSubject(undefined)).toBe('?');
  });
});

describe('resolveClientAddress', () => {
  const trust = (...list: string[]): IpRange[] => list.map((t) => parseCidr(t)!);
  it.each([
    { name: 'no trusted proxies: the peer, whatever the header says', peer: '::ffff:127.0.0.1', xff: '10.0.0.5', trusted: [], out: '127.0.0.1' },
    { name: 'an untrusted peer: the header is ignored', peer: '192.0.2.1', xff: '10.0.0.5', trusted: ['127.0.0.1'], out: '192.0.2.1' },
    { name: 'a trusted peer without the header: the peer', peer: '127.0.0.1', xff: undefined, trusted: ['127.0.0.1'], out: '127.0.0.1' },
    { name: 'a trusted peer: the last hop', peer: '::ffff:127.0.0.1', xff: '10.0.0.5', trusted: ['127.0.0.1'], out: '10.0.0.5' },
    { name: 'what the client wrote to the left is not believed', peer: '127.0.0.1', xff: '1.2.3.4, 10.0.0.5', trusted: ['127.0.0.1'], out: '10.0.0.5' },
    { name: 'a chain of trusted proxies is skipped', peer: '127.0.0.1', xff: '1.2.3.4, 203.0.113.9, 10.0.0.2, 10.0.0.3', trusted: ['127.0.0.1', '10.0.0.0/8'], out: '203.0.113.9' },
    { name: 'a client writing a trusted address gains nothing', peer: '127.0.0.1', xff: '10.0.0.2, 203.0.113.9', trusted: ['127.0.0.1', '10.0.0.0/8'], out: '203.0.113.9' },
    { name: 'every hop trusted: the leftmost', peer: '127.0.0.1', xff: '10.0.0.2, 10.0.0.3', trusted: ['127.0.0.1', '10.0.0.0/8'], out: '10.0.0.2' },
    { name: 'hops in canonical form', peer: '::1', xff: '::ffff:10.0.0.5', trusted: ['::1'], out: '10.0.0.5' },
    { name: 'leading zeros in a hop', peer: '::1', xff: '010.000.000.005', trusted: ['::1'], out: '10.0.0.5' },
    { name: 'a hop with a port', peer: '127.0.0.1', xff: '10.0.0.5:4711', trusted: ['127.0.0.1'], out: '10.0.0.5' },
    { name: 'a bracketed IPv6 hop with a port', peer: '127.0.0.1', xff: '[2001:DB8::1]:4711', trusted: ['127.0.0.1'], out: '2001:db8::1' },
    { name: 'garbage from a trusted proxy stops the walk at it', peer: '127.0.0.1', xff: '1.2.3.4, unknown', trusted: ['127.0.0.1'], out: '127.0.0.1' },
    { name: 'an empty hop stops the walk', peer: '127.0.0.1', xff: '1.2.3.4,,', trusted: ['127.0.0.1'], out: '127.0.0.1' },
    { name: 'a zone id on the peer is dropped', peer: 'fe80::1%eth0', xff: undefined, trusted: [], out: 'fe80::1' },
    { name: 'a trusted range as the peer', peer: '10.1.2.3', xff: '198.51.100.7', trusted: ['10.0.0.0/8'], out: '198.51.100.7' },
  ])('$name', ({ peer, xff, trusted, out }) => {
    expect(resolveClientAddress(peer, xff, trust(...trusted))).toBe(out);
  });

  it('has no address for an unknown peer', () => {
    expect(resolveClientAddress(undefined, '10.0.0.5', trust('127.0.0.1'))).toBeUndefined();
  });
});
