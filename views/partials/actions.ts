/**
 * Undo / restore / rollback links. Without JavaScript each is a plain link to a confirmation page
 * (GET); with htmx the same link posts at once after hx-confirm.
 */
import { html, type Html } from '../html.js';

function actionLink(href: string, label: string, confirm: string, cls: string): Html {
  return html`<a class="${cls}" href="${href}" hx-post="${href}" hx-confirm="${confirm}">${label}</a>`;
}

export function undoLink(path: string, revId: number): Html {
  return actionLink(`${path}?action=undo&rev=${revId}`, 'undo', `Undo revision ${revId}, keeping later edits?`, 'action-undo');
}

export function restoreLink(path: string, revId: number, label = 'restore'): Html {
  return actionLink(`${path}?action=revert&to=${revId}`, label, `Make revision ${revId} the current version again?`, 'action-restore');
}

/** Names the author the reader saw, so a rollback never undoes someone who edited since. */
export function rollbackLink(path: string, author: string): Html {
  return actionLink(`${path}?action=rollback&from=${encodeURIComponent(author)}`, 'rollback', `Roll back every latest edit by ${author} in one step?`, 'action-rollback');
}
