/**
 * Undo / restore / rollback links. Without JavaScript each is a plain link to its confirmation page
 * (GET: the change it makes as a diff, and a summary field). With htmx the same page's panel
 * (views/page/revert.ts, `.revert-panel`) opens in place, right after the link, once; nothing is
 * done until its button is pressed.
 */
import { html, type Html } from '../html.js';

function actionLink(href: string, label: string, cls: string): Html {
  return html`<a class="${cls}" href="${href}" hx-get="${href}" hx-select=".revert-panel" hx-target="this" hx-swap="afterend" hx-trigger="click once">${label}</a>`;
}

export function undoLink(path: string, revId: number): Html {
  return actionLink(`${path}?action=undo&rev=${revId}`, 'undo', 'action-undo');
}

export function restoreLink(path: string, revId: number, label = 'restore'): Html {
  return actionLink(`${path}?action=revert&to=${revId}`, label, 'action-restore');
}

/** Names the author the reader saw, so a rollback never undoes someone who edited since. */
export function rollbackLink(path: string, author: string): Html {
  return actionLink(`${path}?action=rollback&from=${encodeURIComponent(author)}`, 'rollback', 'action-rollback');
}
