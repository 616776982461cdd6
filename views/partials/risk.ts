/** The risk score of an edit with its reasons, as a small badge (nothing for a risk of 0). */
import { html, type Html } from '../html.js';
import type { Revision } from '../../server/wiki/types.js';

export function riskBadge(r: Pick<Revision, 'risk' | 'riskReasons' | 'patrolled'>): Html | null {
  if (r.risk <= 0) return null;
  const level = r.risk >= 60 ? 'high' : r.risk >= 30 ? 'medium' : 'low';
  return html`<span class="risk risk-${level}" title="${r.riskReasons.join('; ')}">risk ${r.risk}<span class="risk-reasons">: ${r.riskReasons.join(', ')}</span></span>`;
}
