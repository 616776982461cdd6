/** The one markdown-it instance (SPEC section 3), bare: markdown.ts installs the wiki rules on it before any use. */
import MarkdownIt from 'markdown-it';

/** The shared parser and renderer. Parse only through markdown.ts, which configures it at load. */
export const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false });

/** markdown-it's HTML escaping, for renderer rules that build HTML by hand. */
export const escapeHtml = md.utils.escapeHtml;

/** markdown-it's Token class, for tokens the wiki adds after parsing (TOC, section edit links). */
export const TokenClass = md.core.State.prototype.Token;
