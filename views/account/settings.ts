/** What an account keeps: change password, preferences, and the pages of a link sent by mail (reset, confirm). */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';

function passwordField(id: string, label: string, autocomplete: string, hint?: string): Html {
  return html`<p class="form-field"><label for="${id}">${label}</label>
    <input id="${id}" name="${id}" type="password" autocomplete="${autocomplete}" required${hint ? html` aria-describedby="${id}-hint"` : null}>
    ${hint ? html`<small id="${id}-hint" class="hint">${hint}</small>` : null}</p>`;
}

function notice(m: { error?: string; done?: string }): Html | null {
  if (m.error) return html`<div class="form-error" role="alert">${m.error}</div>`;
  return m.done ? html`<p class="notice saved-notice" role="status">${m.done}</p>` : null;
}

export function changePasswordPage(ctx: ViewContext, m: { error?: string; done?: string }): Html {
  return layout(ctx, {
    title: 'Change password',
    noindex: true,
    body: html`<h1 class="page-title">Change password</h1>
      ${notice(m)}
      <form class="account-form" method="post" action="/special/change-password">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="text" name="username" value="${ctx.actor?.name ?? ''}" autocomplete="username" hidden>
        ${passwordField('old_password', 'Current password', 'current-password')}
        ${passwordField('new_password', 'New password', 'new-password', 'At least 10 characters. Every other place you are logged in is logged out.')}
        <p><button type="submit" class="primary">Change password</button></p>
      </form>
      <p>Forgot the current one? Log out and use <a href="/special/reset-password">Forgot your password?</a></p>`,
  });
}

export interface PreferencesModel {
  email: string | null;
  pendingEmail?: string;
  emailNotifications: boolean;
  watchEdited: boolean;
  mailEnabled: boolean;
  error?: string;
  done?: string;
}

export function preferencesPage(ctx: ViewContext, m: PreferencesModel): Html {
  const box = (name: string, on: boolean, label: string, hint?: string) =>
    html`<p><label><input type="checkbox" name="${name}" value="1"${on ? html` checked` : null}> ${label}</label>${hint ? html` <small class="hint">${hint}</small>` : null}</p>`;
  return layout(ctx, {
    title: 'Preferences',
    noindex: true,
    body: html`<h1 class="page-title">Preferences</h1>
      ${notice(m)}
      <form class="account-form" method="post" action="/special/preferences">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="hidden" name="form" value="1">
        <fieldset><legend>Email</legend>
          <p class="form-field"><label for="email">Email address</label>
            <input id="email" name="email" type="email" autocomplete="email" value="${m.pendingEmail ?? m.email ?? ''}" aria-describedby="email-hint"${m.mailEnabled ? null : html` disabled`}>
            <small id="email-hint" class="hint">${m.mailEnabled
              ? html`${m.email ? html`In use: ${m.email} (confirmed). ` : 'None in use. '}${m.pendingEmail ? html`A confirmation link was sent to ${m.pendingEmail}; the address is used once you follow it. ` : null}Used only for password resets and the notifications you ask for; nobody else sees it. Leave empty to remove it.`
              : 'This wiki sends no mail (its administrator has not set WIKI_SMTP_URL), so an address would not be used.'}</small></p>
          ${box('email_notifications', m.emailNotifications, 'Email me about notifications (changes to pages I watch, messages on my talk page)', m.email ? undefined : 'Needs a confirmed address.')}
        </fieldset>
        <fieldset><legend>Watchlist</legend>
          ${box('watch_edited', m.watchEdited, 'Add pages I edit, and their talk pages, to my watchlist')}
        </fieldset>
        <p><button type="submit" class="primary">Save preferences</button></p>
      </form>
      <p><a href="/special/change-password">Change password</a> · <a href="/special/notifications">Notifications</a> · <a href="/special/watchlist">Watchlist</a></p>`,
  });
}

/** "Forgot your password?": a name or address, or the plain truth that this wiki sends no mail. */
export function resetRequestPage(ctx: ViewContext, m: { mailEnabled: boolean; who?: string; error?: string; done?: string }): Html {
  return layout(ctx, {
    title: 'Reset password',
    noindex: true,
    body: html`<h1 class="page-title">Forgot your password?</h1>
      ${notice(m)}
      ${m.mailEnabled
        ? html`<p>Give your user name or your email address. If the account has a confirmed address, a link to choose a new password is sent to it; it works once, for an hour.</p>
          <form class="account-form" method="post" action="/special/reset-password">
            <input type="hidden" name="csrf" value="${ctx.csrfToken}">
            <p class="form-field"><label for="username">User name</label><input id="username" name="username" type="text" autocomplete="username" value="${m.who && !m.who.includes('@') ? m.who : ''}"></p>
            <p class="form-field"><label for="email">or email address</label><input id="email" name="email" type="email" autocomplete="email" value="${m.who?.includes('@') ? m.who : ''}"></p>
            <p><button type="submit" class="primary">Send reset link</button></p>
          </form>`
        : html`<p class="error-message">This wiki sends no mail (its administrator has not set WIKI_SMTP_URL), so it cannot send you a reset link.
            Ask an admin of this wiki to set a new password for you (they can, with <code>npm run wiki -- user password NAME</code>).</p>`}
      <p><a href="/login">Back to log in</a></p>`,
  });
}

/** The page a reset link opens: a new password (a form, so that a mail scanner opening the link uses nothing up). */
export function resetFormPage(ctx: ViewContext, m: { token: string; name: string; error?: string }): Html {
  return layout(ctx, {
    title: 'Choose a new password',
    noindex: true,
    body: html`<h1 class="page-title">Choose a new password</h1>
      ${notice(m)}
      <form class="account-form" method="post" action="/special/reset-password">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="hidden" name="token" value="${m.token}">
        <input type="text" name="username" value="${m.name}" autocomplete="username" hidden>
        ${passwordField('new_password', `New password for ${m.name}`, 'new-password', 'At least 10 characters. You are then logged in, and logged out everywhere else.')}
        <p><button type="submit" class="primary">Set password</button></p>
      </form>`,
  });
}

/** The page a confirmation link opens: one button, for the same reason. */
export function confirmEmailPage(ctx: ViewContext, m: { token: string; error?: string; done?: string }): Html {
  return layout(ctx, {
    title: 'Confirm email address',
    noindex: true,
    body: html`<h1 class="page-title">Confirm your email address</h1>
      ${notice(m)}
      ${m.done || m.error ? null : html`<form class="account-form" method="post" action="/special/confirm-email">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <input type="hidden" name="token" value="${m.token}">
        <p><button type="submit" class="primary">Confirm this address</button></p>
      </form>`}
      <p><a href="/special/preferences">Preferences</a></p>`,
  });
}

/** A link that no longer works: say so, and how to get a new one. */
export function deadLinkPage(ctx: ViewContext, what: 'reset' | 'confirm'): Html {
  return layout(ctx, {
    title: 'Link no longer works',
    noindex: true,
    body: html`<h1 class="page-title">This link no longer works</h1>
      <p class="error-message">Links sent by mail work once, for a limited time, and only the newest one asked for works.</p>
      <p>${what === 'reset' ? html`<a href="/special/reset-password">Ask for a new reset link</a>.` : html`Set your address again in your <a href="/special/preferences">preferences</a> to get a new link.`}</p>`,
  });
}
