/** Log in and create-account forms, with errors that say what to fix. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';

export interface AccountFormModel {
  username: string;
  returnto: string;
  error?: string;
}

function field(id: string, label: string, type: string, value: string, autocomplete: string, hint?: string): Html {
  return html`<p class="form-field"><label for="${id}">${label}</label>
    <input id="${id}" name="${id}" type="${type}" value="${value}" autocomplete="${autocomplete}" required${hint ? html` aria-describedby="${id}-hint"` : null}>
    ${hint ? html`<small id="${id}-hint" class="hint">${hint}</small>` : null}</p>`;
}

export function loginPage(ctx: ViewContext, m: AccountFormModel): Html {
  return layout(ctx, {
    title: 'Log in',
    noindex: true,
    body: html`<h1 class="page-title">Log in</h1>
      ${m.error ? html`<div class="form-error" role="alert">${m.error}</div>` : null}
      <form class="account-form" method="post" action="/login">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="hidden" name="returnto" value="${m.returnto}">
        ${field('username', 'User name', 'text', m.username, 'username')}
        ${field('password', 'Password', 'password', '', 'current-password')}
        <p><button type="submit" class="primary">Log in</button></p>
      </form>
      <p><a href="/special/reset-password">Forgot your password?</a></p>
      <p>No account yet? <a href="/register?returnto=${encodeURIComponent(m.returnto)}">Create one</a>: it takes a name and a password.</p>`,
  });
}

export function registerPage(ctx: ViewContext, m: AccountFormModel): Html {
  return layout(ctx, {
    title: 'Create account',
    noindex: true,
    body: html`<h1 class="page-title">Create an account</h1>
      ${m.error ? html`<div class="form-error" role="alert">${m.error}</div>` : null}
      <form class="account-form" method="post" action="/register">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="hidden" name="returnto" value="${m.returnto}">
        ${field('username', 'User name', 'text', m.username, 'username', 'Up to 60 characters; no / : or @. It is shown on every edit you make.')}
        ${field('password', 'Password', 'password', '', 'new-password', 'At least 10 characters.')}
        ${field('password_confirm', 'Password again', 'password', '', 'new-password')}
        <p><button type="submit" class="primary">Create account</button></p>
      </form>
      <p>Already have one? <a href="/login?returnto=${encodeURIComponent(m.returnto)}">Log in</a>.</p>`,
  });
}
