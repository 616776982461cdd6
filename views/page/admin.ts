/** The admin forms of a page: protect, delete, undelete, move (each posts back with csrf). */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Protection } from '../../server/db/admin.js';
import { expiryTag } from '../format.js';

function frame(ctx: ViewContext, title: Title, heading: string, action: string, fields: Html, button: string, note?: Html, error?: string): Html {
  return layout(ctx, {
    title: `${heading} ${title.text}`,
    page: title,
    tab: 'none',
    noindex: true,
    body: html`<h1 class="page-title">${heading} "${title.text}"</h1>
      ${error ? html`<div class="form-error" role="alert">${error}</div>` : null}
      ${note ?? null}
      <form class="admin-form" method="post" action="${wikiPath(title)}?action=${action}">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        ${fields}
        <p class="form-field"><label for="reason">Reason</label><input id="reason" name="reason" type="text" maxlength="500"></p>
        <p><button type="submit" class="primary">${button}</button> <a href="${wikiPath(title)}">Cancel</a></p>
      </form>`,
  });
}

export function protectForm(ctx: ViewContext, title: Title, current: Protection | undefined, error?: string): Html {
  const level = current?.level ?? 'none';
  const option = (value: string, label: string) => html`<option value="${value}"${level === value ? html` selected` : null}>${label}</option>`;
  return frame(ctx, title, 'Protect', 'protect', html`
    <p class="form-field"><label for="level">Who may edit</label>
      <select id="level" name="level">${option('none', 'Everyone (no protection)')}${option('semi', 'Registered users only (semi)')}${option('full', 'Admins only (full)')}</select></p>
    <p class="form-field"><label for="expiry">Expires</label>
      <input id="expiry" name="expiry" type="text" value="${current?.expiry ?? 'infinite'}" aria-describedby="expiry-hint">
      <small id="expiry-hint" class="hint">"infinite", a duration such as "3 days", or a time such as 2027-01-31T12:00:00Z.</small></p>`,
  'Confirm protection', current ? html`<p>Now: ${current.level} protection, ${expiryTag(current.expiry)}.</p>` : undefined, error);
}

export function deleteForm(ctx: ViewContext, title: Title, revisions: number, error?: string): Html {
  return frame(ctx, title, 'Delete', 'delete', html``, 'Delete page',
    html`<p>Deleting hides the page and its ${revisions} ${revisions === 1 ? 'revision' : 'revisions'} from readers. Nothing is lost: an admin can undelete it, history and all.</p>`, error);
}

export function undeleteForm(ctx: ViewContext, title: Title, deletedAt: string, reason: string, error?: string): Html {
  return frame(ctx, title, 'Undelete', 'undelete', html``, 'Restore page',
    html`<p>This page was deleted at ${deletedAt}${reason ? html` (${reason})` : null}. Restoring brings back every revision.</p>`, error);
}

export function moveForm(ctx: ViewContext, title: Title, error?: string, to = ''): Html {
  return frame(ctx, title, 'Move', 'move', html`
    <p class="form-field"><label for="to">New title</label><input id="to" name="to" type="text" required value="${to}"></p>
    <p><label class="checkbox"><input type="checkbox" name="no_redirect" value="1"> Do not leave a redirect behind (links to the old title will turn red)</label></p>`,
  'Move page', html`<p>The page's history moves with it.</p>`, error);
}
