/** URL policy for rendered links: which schemes may be linked, and how external links are marked. */
import type { RendererRule } from 'markdown-it';
import { md } from './md.js';

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);
// Everything a browser might drop or ignore inside a scheme: controls, format characters, all spaces.
const INVISIBLE = /[\p{C}\p{Z}\s]/gu;

/**
 * The URL as a browser would finally read it: percent-escapes and entities decoded (repeatedly, so
 * double encoding cannot hide a scheme) and every invisible character removed.
 */
function plainUrl(url: string): string {
  let current = url;
  for (let i = 0; i < 5; i++) {
    const next = md.utils.unescapeAll(md.utils.lib.mdurl.decode(current));
    if (next === current) break;
    current = next;
  }
  return current.replace(INVISIBLE, '');
}

/** Allow only http:, https:, mailto: and scheme-less (relative) URLs. markdown-it passes the normalised URL. */
export function isAllowedUrl(url: string): boolean {
  const plain = plainUrl(url);
  const stop = plain.search(/[:/?#]/);
  // A colon before any / ? # means the part before it is a scheme (e.g. "Talk:Foo" is one too).
  if (stop < 0 || plain[stop] !== ':') return true;
  return ALLOWED_SCHEMES.has(plain.slice(0, stop).toLowerCase());
}

/**
 * http(s) links with a scheme, and protocol-relative ones, may leave the wiki. "https:host/x" counts
 * too: on a page served over http a browser reads it as https://host/x.
 */
function isExternal(href: string): boolean {
  return /^(?:https?:|\/\/)/i.test(href);
}

/** Renderer rule for link_open: external links get rel="nofollow noopener" and class "external". */
export const renderLinkOpen: RendererRule = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  if (isExternal(token.attrGet('href') ?? '')) {
    token.attrSet('rel', 'nofollow noopener');
    token.attrJoin('class', 'external');
  }
  return self.renderToken(tokens, idx, options);
};
