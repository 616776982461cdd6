/** The IP address kept with an edit by a temporary account; only for viewers with the view-ip right. */
import { html, type Html } from '../html.js';
import type { ViewContext } from '../context.js';
import type { Revision } from '../../server/wiki/types.js';

/** The address of `r` when the viewer may see it and `r` is a temporary account's edit with one; else nothing. */
export function editIp(ctx: ViewContext, r: Pick<Revision, 'actor' | 'ip'>): Html | null {
  if (r.actor.kind !== 'temp' || !r.ip || !ctx.can('view-ip')) return null;
  return html`<span class="ip" title="IP address, shown to admins only">${r.ip}</span>`;
}
