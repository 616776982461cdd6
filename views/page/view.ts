/** Reading a page: the latest revision, an old one with its banner, or a missing page. */
import { html, trustedHtml, type Html, type Piece } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import { expiryTag, timeTag, userLink } from '../format.js';
import { talkTitleOf, wikiPath, type Title } from '../../server/wiki/title.js';
import type { Protection, Revision } from '../../server/wiki/types.js';
import type { CategoryMembers } from '../../server/wiki/lists.js';
import { watchStar } from '../partials/watchStar.js';
import { categoryMembersList } from '../partials/categoryMembers.js';
import { restoreLink } from '../partials/actions.js';

export interface PageViewModel {
  title: Title;
  revision: Revision;
  /** Rendered by the Markdown renderer (already sanitised). */
  bodyHtml: Piece;
  redirectedFrom?: Title;
  /** Set for ?redirect=no on a redirect page. */
  isRedirect?: boolean;
  /** Set when showing an old revision. */
  old?: { previousId?: number; nextId?: number; latestId: number };
  /** The latest revision, for the "last edited" footer (the shown one when it is the latest). */
  latest: Revision;
  /** The watch star, for viewers who may keep a watchlist. */
  watch?: { watched: boolean };
  /** On a Category: page, its members (listed above its own text). */
  members?: { list: CategoryMembers; limit: number };
  /** ?printable=yes: the page as it prints (static/print.css on screen). */
  printable?: boolean;
  /** The protection in force, shown as a lock with its level and expiry. */
  protection?: Protection;
  /** Just saved by this reader (?saved=1): say so. */
  saved?: boolean;
}

export function pageView(ctx: ViewContext, m: PageViewModel): Html {
  const path = wikiPath(m.title);
  const notes = [
    m.redirectedFrom
      ? html`<p class="redirect-note">(Redirected from <a href="${wikiPath(m.redirectedFrom)}?redirect=no">${m.redirectedFrom.text}</a>)</p>`
      : null,
    m.old ? oldBanner(path, m.revision, m.old) : null,
  ];
  return layout(ctx, {
    title: m.title.text,
    page: m.title,
    tab: 'read',
    noindex: m.old !== undefined || m.printable === true,
    printable: m.printable,
    footer: html`<p class="last-edited">This page was last edited ${timeTag(m.latest.timestamp)} by ${userLink(m.latest.actor)}.</p>`,
    body: html`${m.saved ? html`<p class="saved-notice" role="status">Your edit was saved.</p>` : null}<h1 class="page-title">${m.title.text}</h1>
      ${m.watch ? watchStar(m.title, m.watch.watched, ctx.csrfToken) : null}
      ${m.protection ? protectionNote(ctx, m.title, m.protection) : null}
      ${userTools(ctx, m.title)}
      ${notes}
      ${m.members ? categoryMembersList(m.title, m.members.list, m.members.limit) : null}
      <div class="page-body">${trustedHtml(m.bodyHtml)}</div>`,
  });
}

/** On a user page or user talk page: the account's contributions and, for admins, blocking it and the block log. */
function userTools(ctx: ViewContext, title: Title): Html | null {
  if (title.namespace !== 'User' && title.namespace !== 'User talk') return null;
  const name = title.name.split('/')[0]!;
  const key = encodeURIComponent(name.replace(/ /g, '_'));
  return html`<p class="user-tools"><a href="/special/contributions/${key}">Contributions of ${name}</a>${ctx.can('block')
    ? html` · <a href="/special/block?target=${encodeURIComponent(name)}">Block ${name}</a> · <a href="/special/log?type=block">Block log</a>`
    : null}</p>`;
}

/** The lock: who may edit, until when, why; for those who may not, where to see the source and to log in. */
function protectionNote(ctx: ViewContext, title: Title, p: Protection): Html {
  const who = p.level === 'full' ? 'administrators' : 'registered users';
  const path = wikiPath(title);
  const mayEdit = ctx.can('edit', title);
  const talk = talkTitleOf(title);
  return html`<p class="protection-note" role="note"><svg class="lock" aria-hidden="true" focusable="false" width="14" height="16" viewBox="0 0 14 16"><path fill="currentColor" d="M7 1a4 4 0 0 0-4 4v2H2a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-1V5a4 4 0 0 0-4-4zm-2.5 4a2.5 2.5 0 0 1 5 0v2h-5z"/></svg>
    This page is protected: only ${who} may edit it, ${expiryTag(p.expiry)}${p.reason ? html` (${p.reason})` : null}.
    ${mayEdit ? null : html`You can <a href="${path}?action=edit">view its source</a>${ctx.actor?.kind === 'user' ? null : html` or <a href="/login?returnto=${encodeURIComponent(`${path}?action=edit`)}">log in</a>`}${talk && talk.text !== title.text ? html`, and suggest changes on its <a href="${wikiPath(talk)}">talk page</a>` : null}.`}</p>`;
}

function oldBanner(path: string, rev: Revision, old: NonNullable<PageViewModel['old']>): Html {
  const isLatest = rev.id === old.latestId;
  return html`<div class="old-revision-banner" role="note">
    <p>This is ${isLatest ? 'the current revision' : 'an old revision'} of this page, as edited by ${userLink(rev.actor)}
      at ${timeTag(rev.timestamp)}${rev.comment ? html` <span class="comment">(${rev.comment})</span>` : null}.
      ${isLatest ? null : 'It may differ significantly from the current revision.'}</p>
    <p class="revision-nav">
      ${old.previousId ? html`<a href="${path}?diff=prev&amp;oldid=${rev.id}" rel="nofollow">diff</a> · <a href="${path}?oldid=${old.previousId}">← Previous revision</a>` : html`<span>← Previous revision</span>`}
      · <a href="${path}">Latest revision</a>${isLatest ? null : html` (<a href="${path}?diff=cur&amp;oldid=${rev.id}">compare with current</a> · ${restoreLink(path, rev.id, 'restore this version')})`}
      · ${old.nextId ? html`<a href="${path}?oldid=${old.nextId}">Next revision →</a> (<a href="${path}?diff=next&amp;oldid=${rev.id}">diff</a>)` : html`<span>Next revision →</span>`}
    </p>
  </div>`;
}

export function missingPage(ctx: ViewContext, title: Title, members?: PageViewModel['members'], deleted?: { at: string; reason: string }): Html {
  const path = wikiPath(title);
  const canCreate = ctx.can('edit', title);
  return layout(ctx, {
    title: title.text,
    page: title,
    tab: 'read',
    exists: false,
    body: html`<h1 class="page-title">${title.text}</h1>
      <div class="missing-page">
        <p>There is no page called <strong>${title.text}</strong>${deleted ? null : ' yet'}.</p>
        ${deleted ? html`<p class="deleted-note">A page with this title was deleted at ${timeTag(deleted.at)}${deleted.reason ? html` (${deleted.reason})` : null}; see the <a href="/special/log?type=delete">deletion log</a>. Its history is kept${ctx.can('undelete', title) ? html`: <a href="${path}?action=undelete">undelete it</a>` : ''}.</p>` : null}
        <p>${canCreate ? html`<a class="button" href="${path}?action=edit">Create this page</a>` : html`<a href="/login?returnto=${encodeURIComponent(path + '?action=edit')}">Log in to create this page</a>`}
          or <a href="/special/search?q=${encodeURIComponent(title.text)}&amp;fulltext=1">search for "${title.text}"</a> in other pages.</p>
      </div>
      ${members ? categoryMembersList(title, members.list, members.limit) : null}`,
  });
}
