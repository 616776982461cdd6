/** /special/mass-rollback: every recent edit of one account or address, undone after a preview. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { MassRollbackItem } from '../../server/wiki/massRollback.js';

export interface MassRollbackModel {
  target: string;
  since: string;
  reason: string;
  items?: MassRollbackItem[];
  done?: boolean;
  error?: string;
}

export function massRollbackPage(ctx: ViewContext, m: MassRollbackModel): Html {
  const todo = m.items?.filter((i) => i.to) ?? [];
  const skipped = m.items?.filter((i) => i.skipped) ?? [];
  return layout(ctx, {
    title: 'Mass rollback',
    noindex: true,
    body: html`<h1 class="page-title">Mass rollback</h1>
      ${m.error ? html`<div class="form-error" role="alert">${m.error}</div>` : null}
      ${m.done ? html`<p class="notice" role="status">Rolled back ${todo.length} ${todo.length === 1 ? 'page' : 'pages'}.</p>` : null}
      <p>Undo every edit one account or IP address made since a given time, on every page: each page goes back to its last revision by someone else. Pages others have edited since are left alone.</p>
      <form class="admin-form" method="post" action="/special/mass-rollback">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <p class="form-field"><label for="target">User name or IP address</label><input id="target" name="target" type="text" required value="${m.target}"></p>
        <p class="form-field"><label for="since">Since (UTC)</label><input id="since" name="since" type="text" required value="${m.since}" aria-describedby="since-hint"><small id="since-hint" class="hint">An ISO 8601 time, such as 2026-12-01T09:00:00Z.</small></p>
        <p class="form-field"><label for="reason">Reason</label><input id="reason" name="reason" type="text" maxlength="500" value="${m.reason}"></p>
        <p><button type="submit" name="do" value="preview">Preview</button>
          ${m.items && !m.done && todo.length ? html`<button type="submit" name="do" value="run" class="primary">Roll back ${todo.length} ${todo.length === 1 ? 'page' : 'pages'}</button>` : null}</p>
      </form>
      ${m.items ? html`<h2>${m.done ? 'Rolled back' : 'Will be rolled back'} (${todo.length})</h2>
        <ul>${todo.map((i) => html`<li><a href="${wikiPath(i.page.title)}">${i.page.title.text}</a>: ${i.undone!.length} ${i.undone!.length === 1 ? 'edit' : 'edits'} undone, back to revision ${i.to!.id} by ${i.to!.actor.name}</li>`)}</ul>
        ${skipped.length ? html`<h2>Left alone (${skipped.length})</h2><ul>${skipped.map((i) => html`<li><a href="${wikiPath(i.page.title)}">${i.page.title.text}</a>: ${i.skipped}</li>`)}</ul>` : null}` : null}`,
  });
}
