/** What a blocked person sees where an edit is refused (SPEC section 11): why, until when, by whom, and how to appeal. */
import { html, type Html } from '../html.js';
import type { ViewContext } from '../context.js';
import { timeTag, userLink } from '../format.js';
import { wikiPath } from '../../server/wiki/title.js';

/** Nothing when the viewer is not blocked. */
export function blockedNotice(ctx: ViewContext): Html | null {
  const b = ctx.block;
  if (!b) return null;
  const actor = ctx.actor;
  const registered = actor?.kind === 'user';
  const what = b.parentId !== null
    ? 'Your address is blocked automatically, because an account that was blocked edited from it recently.'
    : b.actorId !== null
      ? 'Your account is blocked from editing.'
      : b.anonOnly ? 'Editing without an account is blocked from your address.' : 'Editing is blocked from your address.';
  const talk = actor ? wikiPath(`User talk:${actor.name}`) : undefined;
  return html`<section class="blocked-notice" role="note" aria-labelledby="blocked-heading">
    <h2 id="blocked-heading">You are blocked from editing</h2>
    <p>${what} You can still read every page.</p>
    <dl class="block-facts">
      <dt>Reason</dt><dd>${b.reason || 'none given'}</dd>
      <dt>Ends</dt><dd>${b.expiry ? timeTag(b.expiry) : 'no end date'}</dd>
      ${b.byName ? html`<dt>Blocked by</dt><dd>${userLink({ name: b.byName })}</dd>` : null}
      <dt>Block</dt><dd>#${String(b.parentId ?? b.id)}</dd>
    </dl>
    ${b.anonOnly && !registered ? html`<p>This block stops only people who are not logged in: <a href="/login?returnto=${encodeURIComponent(ctx.path)}">log in</a> to edit.</p>` : null}
    <p><strong>To appeal:</strong> ${b.allowUsertalk && talk
      ? html`<a href="${talk}?action=edit&amp;section=new">write an unblock request on your talk page</a>; the admin who blocked you is told of it, and any admin may answer.`
      : html`this block does not let you edit your talk page; ask an admin by another way.`}
      <a href="/wiki/Help:Blocking_policy">Help:Blocking policy</a> says how blocks and appeals work.</p>
  </section>`;
}
