/** The diff page: both revisions' headers with older/newer navigation, then the diff table. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { bytes, timeTag, userLink } from '../format.js';
import { diffTable } from './diff.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Revision } from '../../server/wiki/types.js';
import type { Comparison } from '../../server/wiki/diff.js';
import { restoreLink, rollbackLink, undoLink } from '../partials/actions.js';
import { riskBadge } from '../partials/risk.js';
import { commentHtml } from '../partials/comment.js';

export interface CompareModel {
  title: Title;
  older: Revision | undefined;
  newer: Revision;
  comparison: Comparison;
  view: 'side' | 'inline';
  /** The revision before `older` (for "← Older edit"), and the one after `newer`. */
  olderEditId?: number;
  newerEditId?: number;
  latestId: number;
}

function header(path: string, r: Revision | undefined, label: string): Html {
  if (!r) return html`<div class="diff-header"><strong>${label}</strong><p>(page created)</p></div>`;
  return html`<div class="diff-header">
    <strong>${label}: <a href="${path}?oldid=${r.id}">revision as of ${timeTag(r.timestamp)}</a></strong>
    <p>${userLink(r.actor)} · ${bytes(r.size)}${r.minor ? html` · <abbr title="minor edit">m</abbr>` : null}</p>
    ${r.comment ? html`<p class="comment">${commentHtml(path, r.comment)}</p>` : null}
  </div>`;
}

export function comparePage(ctx: ViewContext, m: CompareModel): Html {
  const path = wikiPath(m.title);
  const other = m.view === 'inline' ? 'side' : 'inline';
  const here = `${path}?diff=${m.newer.id}${m.older ? `&oldid=${m.older.id}` : ''}`;
  return layout(ctx, {
    title: `${m.title.text}: difference between revisions`,
    page: m.title,
    tab: 'history',
    noindex: true,
    body: html`<h1 class="page-title">${m.title.text}: difference between revisions</h1>
      <div id="diff-view">
        <div class="diff-headers">
          <div>${header(path, m.older, 'Older')}
            ${m.olderEditId && m.older ? html`<a href="${path}?diff=${m.older.id}&oldid=${m.olderEditId}">← Older edit</a>` : null}</div>
          <div>${header(path, m.newer, m.newer.id === m.latestId ? 'Latest' : 'Newer')}
            ${m.newerEditId ? html`<a href="${path}?diff=${m.newerEditId}&oldid=${m.newer.id}">Newer edit →</a>` : null}</div>
        </div>
        <p class="diff-options"><a href="${here}&view=${other}">${other === 'inline' ? 'Inline view' : 'Side-by-side view'}</a>
          · ${m.newer.parentId ? html`${undoLink(path, m.newer.id)} this edit ·` : null}
          ${m.older && m.older.id !== m.latestId ? html`${restoreLink(path, m.older.id, 'restore the older version')} ·` : null}
          ${m.newer.id !== m.latestId ? html`${restoreLink(path, m.newer.id, 'restore the newer version')} ·` : null}
          ${m.newer.id === m.latestId && ctx.can('rollback', m.title) ? html`${rollbackLink(path, m.newer.actor.name)} ·` : null}
          ${riskBadge(ctx, m.newer)}</p>
        ${diffTable(m.comparison, { view: m.view, oldLabel: m.older ? `Revision ${m.older.id}` : 'Empty', newLabel: `Revision ${m.newer.id}` })}
      </div>`,
  });
}
