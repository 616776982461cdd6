/**
 * The risk score of an edit with its reasons, as a small badge, for patrollers only (nothing for
 * anyone else, nor for a risk of 0): shown to everyone, "risk 10: by a new user" on every
 * newcomer's edit told readers to distrust them, and meant nothing to those who cannot act on it.
 */
import { html, type Html } from '../html.js';
import type { ViewContext } from '../context.js';
import type { Revision } from '../../server/wiki/types.js';

export function riskBadge(ctx: Pick<ViewContext, 'can'>, r: Pick<Revision, 'risk' | 'riskReasons' | 'patrolled'>): Html | null {
  if (r.risk <= 0 || !ctx.can('patrol')) return null;
  const level = r.risk >= 60 ? 'high' : r.risk >= 30 ? 'medium' : 'low';
  return html`<span class="risk risk-${level}" title="${r.riskReasons.join('; ')}">risk ${r.risk}<span class="risk-reasons">: ${r.riskReasons.join(', ')}</span></span>`;
}
