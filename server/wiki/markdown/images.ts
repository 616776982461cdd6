/** Which images a page may load (SPEC section 3): the wiki's own, and those of the allowed hosts; others become links. */
import type { Token } from 'markdown-it';
import { TokenClass } from './md.js';

/**
 * The host an image URL loads from, lower case with any non-default port ("example.org",
 * "example.org:8443"); undefined for a relative URL, which loads from the wiki itself; '' when a
 * URL names a host that cannot be read (it never counts as allowed).
 *
 * `src` is markdown-it's normalised URL (controls, spaces and "\" percent-encoded), so whether it
 * leaves the wiki is visible in its text: only a scheme or a leading "//" can name another host.
 * Browsers also drop tabs and newlines and read "\" as "/", so those are undone first, to be sure.
 */
export function imageHost(src: string): string | undefined {
  const url = src.replace(/[\u0000-\u0020]/g, '').replace(/\\/g, '/');
  const absolute = /^[a-z][a-z\d+.-]*:/i.test(url);
  if (!absolute && !url.startsWith('//')) return undefined;
  try {
    // "https:x.png" is relative on an https page but names host x.png on an http one: read it as the latter.
    return new URL(absolute ? url : `https:${url}`).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Whether `host` is allowed by `hosts` (WIKI_EXTERNAL_IMAGES), matched as a Content-Security-Policy
 * host-source is, so the renderer and the `img-src` directive built from the same list agree:
 * `*` allows every host; `*.example.org` allows every subdomain of example.org (not example.org
 * itself); any other entry is one exact host ("example.org" or "example.org:8443"). Entries are
 * ASCII host names (punycode for IDNs), as markdown-it and browsers write a URL's host.
 *
 * Exact hosts rather than MediaWiki's URL prefixes (`$wgAllowExternalImagesFrom`) or "and all
 * subdomains": on shared hosts (github.io, blogspot.com) every subdomain is someone else's server,
 * so trusting a subdomain must be asked for explicitly.
 */
export function hostAllowed(host: string, hosts: readonly string[]): boolean {
  if (host === '') return false;
  for (const entry of hosts) {
    if (entry === '*' || entry === host) return true;
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return true;
  }
  return false;
}

/** Text of an image's alt tokens (nested images give their alt), as markdown-it writes the alt attribute. */
function altText(children: Token[] | null): string {
  let text = '';
  for (const c of children ?? []) {
    if (c.type === 'text' || c.type === 'code_inline') text += c.content;
    else if (c.type === 'image') text += altText(c.children);
    else if (c.type === 'softbreak' || c.type === 'hardbreak') text += '\n';
  }
  return text;
}

/**
 * Replace, in the inline tokens of a parsed page, every image whose host `hosts` does not allow by
 * a link to it (the link renderer marks it external): the alt text, or the URL when there is none.
 * Inside a link, where a second <a> cannot go, the image becomes that text alone.
 */
export function applyImagePolicy(tokens: Token[], hosts: readonly string[]): void {
  if (hosts.includes('*')) return;
  for (const t of tokens) {
    if (t.type !== 'inline' || !t.children?.some((c) => c.type === 'image')) continue;
    const out: Token[] = [];
    let linkDepth = 0;
    for (const c of t.children) {
      if (c.type === 'link_open') linkDepth++;
      if (c.type === 'link_close') linkDepth--;
      const src = c.type === 'image' ? (c.attrGet('src') ?? '') : '';
      const host = c.type === 'image' ? imageHost(src) : undefined;
      if (host === undefined || hostAllowed(host, hosts)) out.push(c);
      else out.push(...imageAsLink(c, src, linkDepth > 0));
    }
    t.children = out;
  }
}

/** The tokens standing for a blocked image: text, inside a link when `plain` is false. */
function imageAsLink(image: Token, src: string, plain: boolean): Token[] {
  const text = new TokenClass('text', '', 0);
  text.content = altText(image.children) || src;
  if (plain) return [text];
  const open = new TokenClass('link_open', 'a', 1);
  open.attrs = [['href', src]];
  const title = image.attrGet('title');
  if (title) open.attrs.push(['title', title]);
  return [open, text, new TokenClass('link_close', 'a', -1)];
}

/**
 * The image policy as a short, stable string ('' when no external host is allowed), for cache keys
 * and ETags: HTML rendered under one policy must never be served under another.
 */
export function imagePolicyKey(hosts: readonly string[]): string {
  if (hosts.length === 0) return '';
  return `img=${[...new Set(hosts)].sort().join(',')}`;
}
