/** The page frame: header with site name and search, page tabs, content, footer. */
import { html, type Html } from './html.js';
import type { ViewContext } from './context.js';
import { UNREAD_CAP } from '../server/wiki/notifications.js';
import { subjectTitleOf, talkTitleOf, wikiPath, type Title } from '../server/wiki/title.js';

export type Tab = 'read' | 'edit' | 'history' | 'talk' | 'none';

export interface LayoutOptions {
  title: string;
  /** The wiki page this screen belongs to, for the tabs. */
  page?: Title;
  tab?: Tab;
  /** Whether the page exists (its tabs then read "Edit", else "Create"). */
  exists?: boolean;
  footer?: Html;
  /** Ask robots not to index (edit forms, old revisions, diffs). */
  noindex?: boolean;
  /** The printable form on screen too (?printable=yes): the print stylesheet for every medium. */
  printable?: boolean;
  /** An Atom feed that follows this page, advertised to feed readers. */
  feed?: { href: string; title: string };
  body: Html;
}

export function layout(ctx: ViewContext, o: LayoutOptions): Html {
  // Every htmx request carries the token and the account it was rendered for (server/http/sameActor.ts).
  // The body is built before the frame: an anonymous reader's page holds the token only when a
  // form in it asked for one, so a plain page view sets no cookie and is the same for every
  // anonymous reader (SPEC section 9). A signed-in reader's header holds the log-out form.
  const token = ctx.actor || ctx.tokenMade() ? ctx.csrfToken : '';
  const headers = JSON.stringify({ ...(token ? { 'X-CSRF-Token': token } : {}), 'X-Wiki-Actor': String(ctx.actor?.id ?? 0) });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — Peerwiki</title>
${token ? html`<meta name="csrf-token" content="${token}">` : null}
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"429","swap":true,"error":false},{"code":"[45]..","swap":false,"error":true},{"code":"...","swap":false}]}'>
${o.noindex ? html`<meta name="robots" content="noindex,nofollow">` : null}
${o.feed ? html`<link rel="alternate" type="application/atom+xml" href="${o.feed.href}" title="${o.feed.title}">` : null}
<link rel="stylesheet" href="${ctx.assets.css}">
<link rel="stylesheet" href="${ctx.assets.print}" media="${o.printable ? 'all' : 'print'}">
<link rel="icon" type="image/svg+xml" href="${ctx.assets.favicon}">
<link rel="search" type="application/opensearchdescription+xml" href="/special/search" title="Peerwiki">
<script src="${ctx.assets.htmx}" defer></script>
<script src="${ctx.assets.js}" defer></script>
</head>
<body hx-headers="${headers}">
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
  <a class="site-name" href="/wiki/Main_Page">Peerwiki</a>
  ${searchBox()}
  ${userLinks(ctx)}
</header>
${newMessagesBar(ctx)}
${o.page ? tabs(ctx, o.page, o.tab ?? 'read', o.exists ?? true) : null}
<main id="content" class="content">
${o.body}
</main>
<footer class="site-footer">
  ${o.footer ?? null}
  <p>Peerwiki is written by its readers. Anyone can edit; every revision is kept.
  <a href="/wiki/Help:Editing">How to edit</a> · <a href="/special/recent-changes">Recent changes</a> · <a href="/special/random">Random page</a> · <a href="/special/all-pages">All pages</a> · <a href="/special/categories">Categories</a> · <a href="/special/special-pages">Special pages</a> · <a href="/wiki/Category:Help">Help</a></p>
</footer>
</body>
</html>`;
}

function searchBox(): Html {
  return html`<form class="search" action="/special/search" method="get" role="search" aria-label="Site search">
    <input type="search" name="q" placeholder="Search Peerwiki" aria-label="Search Peerwiki" autocomplete="off" role="combobox" accesskey="f" title="Search Peerwiki [alt-shift-f]"
      hx-get="/special/search/suggest" hx-trigger="input changed delay:250ms" hx-target="#search-suggestions" hx-swap="innerHTML">
    <button type="submit">Search</button>
    <div id="search-suggestions" class="search-suggestions" role="listbox" aria-label="Suggestions"></div>
  </form>`;
}

function userLinks(ctx: ViewContext): Html {
  const back = encodeURIComponent(ctx.path);
  if (!ctx.actor || ctx.actor.kind === 'temp') {
    return html`<nav class="user-links" aria-label="Account">
      ${ctx.actor ? html`<a class="temp-user" href="${wikiPath(`User talk:${ctx.actor.name}`)}" title="A temporary account, kept in a cookie: its talk page">${ctx.actor.name}</a>` : null}
      <a href="/login?returnto=${back}">Log in</a> <a href="/register?returnto=${back}">Create account</a>
    </nav>`;
  }
  const name = ctx.actor.name;
  const unread = ctx.alerts?.unread ?? 0;
  const count = unread >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(unread);
  // Menus are <details>: they open without JavaScript. With htmx the notifications link opens the
  // newest few in place; without it, it is the notifications page.
  return html`<nav class="user-links" aria-label="Account">
    <span class="notifications-menu">
      <a class="notifications-link" href="/special/notifications" hx-get="/special/notifications?panel=1" hx-target="#notifications-panel" hx-swap="innerHTML"
        aria-label="Notifications${unread > 0 ? `, ${count} unread` : ''}">Notifications${unread > 0 ? html` <span class="badge" id="notifications-badge">${count}</span>` : html`<span id="notifications-badge"></span>`}</a>
      <span id="notifications-panel" class="notifications-panel" aria-live="polite"></span>
    </span>
    <details class="user-menu menu"><summary><span class="visually-hidden">Account menu of </span>${name}</summary><ul>
      <li><a href="${wikiPath(`User:${name}`)}">User page</a></li>
      <li><a href="${wikiPath(`User talk:${name}`)}">Talk</a></li>
      <li><a href="/special/contributions/${encodeURIComponent(name)}">Contributions</a></li>
      <li><a href="/special/watchlist">Watchlist</a></li>
      <li><a href="/special/notifications">Notifications</a></li>
      <li><a href="/special/preferences">Preferences</a></li>
      <li><form method="post" action="/logout" class="inline-form"><input type="hidden" name="csrf" value="${ctx.csrfToken}"><button type="submit" class="link-button">Log out</button></form></li>
    </ul></details>
    ${adminTools(ctx)}
  </nav>`;
}

/** The admin tools, for those who may use them (SPEC section 11): review queue, log, blocks, mass rollback. */
function adminTools(ctx: ViewContext): Html {
  const tools: [string, string][] = [
    ...(ctx.can('patrol') ? [['/special/review', 'Review queue'] as [string, string]] : []),
    ['/special/log', 'Log'],
    ...(ctx.can('block') ? [['/special/block', 'Blocks'] as [string, string]] : []),
    ...(ctx.can('rollback') ? [['/special/mass-rollback', 'Mass rollback'] as [string, string]] : []),
  ];
  if (tools.length === 1) return html``;
  return html`<details class="admin-menu menu"><summary>Admin tools</summary><ul>${tools.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></details>`;
}

/** "You have new messages": while someone else's change to your user talk page is unseen (SPEC section 11). */
function newMessagesBar(ctx: ViewContext): Html | null {
  const m = ctx.alerts?.newMessages;
  if (!m) return null;
  const talk = wikiPath(m.talk);
  return html`<p class="new-messages" role="status">You have <a href="${talk}">new messages</a> (<a href="${talk}?diff=${String(m.diff.newer)}${m.diff.older !== null ? `&oldid=${m.diff.older}` : ''}">${m.diff.older !== null ? 'changes' : 'first message'}</a>).</p>`;
}

function tabs(ctx: ViewContext, page: Title, tab: Tab, exists: boolean): Html {
  const subject = subjectTitleOf(page);
  const talk = talkTitleOf(page);
  const onTalk = talk !== undefined && page.text === talk.text && page.text !== subject.text;
  const path = wikiPath(page);
  // Access keys as MediaWiki has them (Alt+Shift+E edit, H history), said in each tab's tooltip.
  const keys: Record<string, string> = { edit: 'e', history: 'h', 'new-topic': '+' };
  const item = (id: Tab | 'subject' | 'new-topic', href: string, label: string, current: boolean, missing = false) => {
    const key = Object.hasOwn(keys, id) ? keys[id] : undefined;
    const hint = missing ? ` (page does not exist)` : '';
    return html`<li${current ? html` class="selected"` : null}><a href="${href}"${missing ? html` class="new"` : null}${current ? html` aria-current="page"` : null}${key ? html` accesskey="${key}" title="${label} [alt-shift-${key}]"` : missing ? html` title="${label}${hint}"` : null}>${label}</a></li>`;
  };
  // A tab to the other page of the pair, when it does not exist, is a red link to creating it.
  const missing = (t: Title) => t.text !== page.text && ctx.exists !== undefined && !ctx.exists(t);
  return html`<nav class="page-tabs" aria-label="Page">
    <ul class="namespace-tabs">
      ${item('subject', wikiPath(subject), subject.namespace === '' ? 'Article' : subject.namespace === 'User' ? 'User page' : subject.namespace, !onTalk && tab !== 'none', missing(subject))}
      ${talk ? item('talk', wikiPath(talk), 'Talk', onTalk, missing(talk)) : null}
    </ul>
    <ul class="action-tabs">
      ${item('read', path, 'Read', tab === 'read')}
      ${item('edit', `${path}?action=edit`, !exists ? 'Create' : ctx.can('edit', page) ? 'Edit' : 'View source', tab === 'edit')}
      ${onTalk && ctx.can('edit', page) ? item('new-topic', `${path}?action=edit&section=new`, 'Add topic', false) : null}
      ${item('history', `${path}?action=history`, 'History', tab === 'history')}
      <li class="more-actions">${moreActions(ctx, page, exists)}</li>
    </ul>
  </nav>`;
}

/** Page tools in a <details> menu (no JavaScript needed); each tool only for those who may use it. */
function moreActions(ctx: ViewContext, page: Title, exists: boolean): Html {
  const path = wikiPath(page);
  // Move is offered to every registered account: the form says what is missing (edits, rights).
  const registered = ctx.actor?.kind === 'user';
  const tool = (on: boolean, action: string, label: string): [string, string][] => (on ? [[`${path}?action=${action}`, label]] : []);
  const links: [string, string][] = exists
    ? [
        [`${path}?action=info`, 'Page information'],
        [`/special/links-here/${encodeURIComponent(page.key)}`, 'What links here'],
        [`${path}?action=blame`, 'Who wrote what'],
        [`${path}?printable=yes`, 'Printable version'],
        ...tool(registered, 'move', 'Move'),
        ...tool(ctx.can('protect', page), 'protect', 'Protect'),
        ...tool(ctx.can('delete', page), 'delete', 'Delete'),
      ]
    : tool(ctx.can('undelete', page), 'undelete', 'Undelete');
  if (links.length === 0) return html``;
  return html`<details><summary>More</summary><ul>${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></details>`;
}
