/** Small formatting helpers shared by templates. */
import { html, type Html } from './html.js';

/** "14:05, 1 December 2026" in UTC, as MediaWiki shows dates. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "2026-12-01 14:05:09 UTC": the exact time, shown on hover. */
export function exactTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A time as people read it, the exact one on hover and for machines. */
export function timeTag(iso: string): Html {
  return html`<time datetime="${iso}" title="${exactTime(iso)}">${formatDate(iso)}</time>`;
}

/** An expiry as stored ("infinite" or an ISO time) in readable form. */
export function expiryTag(expiry: string | null | undefined): Html {
  return !expiry || expiry === 'infinite' ? html`no end date` : html`until ${timeTag(expiry)}`;
}

/** A signed size change, coloured by the stylesheet: +12, −40, 0. */
export function sizeDelta(delta: number): Html {
  const cls = delta > 0 ? 'delta-pos' : delta < 0 ? 'delta-neg' : 'delta-zero';
  const text = delta > 0 ? `+${delta.toLocaleString('en')}` : delta < 0 ? `−${(-delta).toLocaleString('en')}` : '0';
  const big = Math.abs(delta) >= 500 ? ' delta-big' : '';
  return html`<span class="${cls + big}">${text}</span>`;
}

export function bytes(n: number): string {
  return `${n.toLocaleString('en')} ${n === 1 ? 'byte' : 'bytes'}`;
}

/** A link to a user's page (their contributions are a click away there). */
export function userLink(user: { name: string; kind?: string }): Html {
  const path = `/special/contributions/${encodeURIComponent(user.name)}`;
  return html`<a class="user${user.kind === 'temp' ? ' temp-user' : ''}" href="${path}">${user.name}</a>`;
}
