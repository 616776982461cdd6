/** /special/log and /special/block. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { expiryTag, timeTag, userLink } from '../format.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { Block, LogEntry } from '../../server/db/admin.js';

const VERBS: Record<string, string> = {
  protect: 'protected', unprotect: 'removed protection from', block: 'blocked', unblock: 'unblocked', 'unblock-autoblock': 'lifted an autoblock of',
  delete: 'deleted', undelete: 'restored', move: 'moved', 'mass-rollback': 'rolled back every recent edit of',
};

function target(e: LogEntry): Html {
  if (e.type === 'block') return html`<a href="/special/contributions/${encodeURIComponent(e.target)}">${e.target}</a>`;
  return html`<a href="${wikiPath(e.target)}">${e.target}</a>`;
}

export function logPage(ctx: ViewContext, entries: LogEntry[], type: string | undefined, olderThan?: number): Html {
  const types = ['', 'protect', 'block', 'delete', 'move', 'rollback'];
  return layout(ctx, {
    title: 'Log',
    body: html`<h1 class="page-title">Log of admin acts</h1>
      <form method="get" action="/special/log" class="log-filter"><label for="type">Show</label>
        <select id="type" name="type">${types.map((t) => html`<option value="${t}"${t === (type ?? '') ? html` selected` : null}>${t || 'all acts'}</option>`)}</select>
        <button type="submit">Show</button></form>
      ${entries.length === 0 ? html`<p>Nothing logged yet.</p>` : null}
      <ul class="log">${entries.map((e) => html`<li>
        ${timeTag(e.timestamp)} ${userLink(e.actor)} ${VERBS[e.action] ?? e.action} ${target(e)}
        ${e.type === 'move' && typeof e.details.to === 'string' ? html` to <a href="${wikiPath(e.details.to)}">${e.details.to}</a>` : null}
        ${e.type === 'protect' && e.details.level ? html` [${String(e.details.level)}, ${expiryTag(typeof e.details.expiry === 'string' ? e.details.expiry : null)}]` : null}
        ${e.type === 'block' && e.action === 'block' ? html` (${expiryTag(typeof e.details.expiry === 'string' ? e.details.expiry : null)}${logFlags(e.details)})` : null}
        ${e.reason ? html`<span class="comment">(${e.reason})</span>` : null}
      </li>`)}</ul>
      ${olderThan ? html`<p class="pager"><a rel="next" href="/special/log?older_than=${olderThan}${type ? `&type=${type}` : ''}">Older</a></p>` : null}`,
  });
}

export function blockPage(ctx: ViewContext, blocks: Block[], error?: string, target = ''): Html {
  return layout(ctx, {
    title: 'Block a user or IP address',
    noindex: true,
    body: html`<h1 class="page-title">Block a user or IP address</h1>
      ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
      <form class="admin-form" method="post" action="/special/block">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <p class="form-field"><label for="target">User name, IP address or range</label><input id="target" name="target" type="text" required value="${target}" aria-describedby="target-hint">
          <small id="target-hint" class="hint">An account, an address such as 192.0.2.7, or a range such as 192.0.2.0/24 (IPv4 /16 to /32, IPv6 /19 to /128).</small></p>
        <p class="form-field"><label for="expiry">Expires</label><input id="expiry" name="expiry" type="text" value="1 day" aria-describedby="expiry-hint">
          <small id="expiry-hint" class="hint">"infinite", a duration such as "3 days", or a time such as 2027-01-31T12:00:00Z.</small></p>
        <p class="form-field"><label for="reason">Reason (shown to the blocked person)</label><input id="reason" name="reason" type="text" maxlength="500"></p>
        <fieldset class="block-options"><legend>Options</legend>
          <input type="hidden" name="options" value="1">
          <p><label><input type="checkbox" name="anon_only" value="1" checked> Addresses and ranges: block only people who are not logged in (temporary accounts included); logged-in users there may still edit</label></p>
          <p><label><input type="checkbox" name="autoblock" value="1" checked> Accounts: also block, for a day, the last address the account used and any address it then tries to edit from (autoblock)</label></p>
          <p><label><input type="checkbox" name="allow_usertalk" value="1" checked> Let the blocked person edit their own user talk page, to appeal</label></p>
        </fieldset>
        <p><button type="submit" class="primary">Block</button></p>
      </form>
      <h2>Blocks in force</h2>
      ${blocks.length === 0 ? html`<p>None.</p>` : null}
      <ul class="blocks">${blocks.map((b) => html`<li>${blockTargetLabel(ctx, b)} — ${b.expiry ? html`until ${timeTag(b.expiry)}` : 'no end date'}${b.byName ? html`, by ${userLink({ name: b.byName })}` : null}${blockFlags(b)}${b.reason ? html` <span class="comment">(${b.reason})</span>` : null}
        <form method="post" action="/special/block/${b.id}/remove" class="inline-form"><input type="hidden" name="csrf" value="${ctx.csrfToken}"><button type="submit">Unblock</button></form></li>`)}</ul>`,
  });
}

/** What a block stops, in words: an autoblock names its account block, and its address only to those who may see addresses. */
function blockTargetLabel(ctx: ViewContext, b: Block): Html {
  if (b.parentId !== null) {
    return html`Autoblock #${String(b.id)} (of block #${String(b.parentId)} on ${userLink({ name: b.target })})${ctx.can('view-ip') && b.ip ? html` on ${b.ip}` : null}`;
  }
  return b.actorId !== null ? userLink({ name: b.target }) : html`${b.target}`;
}

function blockFlags(b: Block): Html {
  const flags = [
    b.ip !== null && b.parentId === null ? (b.anonOnly ? 'anonymous users only' : 'logged-in users too') : undefined,
    b.actorId !== null ? (b.autoblock ? 'autoblock' : 'no autoblock') : undefined,
    b.allowUsertalk ? undefined : 'cannot edit own talk page',
  ].filter((f): f is string => f !== undefined);
  return flags.length ? html` [${flags.join(', ')}]` : html``;
}

/** The options a block was made with, as its log entry recorded them (entries from before have none). */
function logFlags(d: Record<string, unknown>): string {
  const flags = [
    d.anon_only === true ? 'anonymous users only' : undefined,
    d.autoblock === false ? 'autoblock disabled' : undefined,
    d.allow_usertalk === false ? 'cannot edit own talk page' : undefined,
  ].filter((f): f is string => f !== undefined);
  return flags.length ? `, ${flags.join(', ')}` : '';
}
