/** /special/special-pages: every special page by group, as MediaWiki's Special:SpecialPages. */
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import type { ViewContext } from '../context.js';
import type { Right } from '../../server/wiki/rights.js';

interface Entry {
  href: string;
  label: string;
  what: string;
  /** Shown only to those with this right, marked as theirs. */
  right?: Right;
  /** Shown only to logged-in accounts. */
  account?: boolean;
}

const GROUPS: Array<{ heading: string; entries: Entry[] }> = [
  {
    heading: 'Recent changes and logs',
    entries: [
      { href: '/special/recent-changes', label: 'Recent changes', what: 'the latest edits to every page, with filters and a feed' },
      { href: '/special/log', label: 'Log', what: 'protections, blocks, deletions, moves and rollbacks' },
      { href: '/special/review', label: 'Review queue', what: 'edits nobody has reviewed yet, riskiest first' },
      { href: '/special/watchlist', label: 'Watchlist', what: 'changes to the pages you watch', account: true },
      { href: '/special/notifications', label: 'Notifications', what: 'changes others made to pages you watch, and messages on your talk page', account: true },
    ],
  },
  {
    heading: 'Lists of pages',
    entries: [
      { href: '/special/all-pages', label: 'All pages', what: 'every page, by title' },
      { href: '/special/categories', label: 'Categories', what: 'every category, with how many pages it holds' },
      { href: '/special/wanted-pages', label: 'Wanted pages', what: 'titles linked to most that have no page yet' },
      { href: '/special/orphaned-pages', label: 'Orphaned pages', what: 'pages no other page links to' },
      { href: '/special/random', label: 'Random page', what: 'a page picked at random' },
    ],
  },
  {
    heading: 'Search and links',
    entries: [
      { href: '/special/search', label: 'Search', what: 'the text and titles of every page' },
      { href: '/special/links-here', label: 'What links here', what: 'the pages that link to a page' },
    ],
  },
  {
    heading: 'Accounts and administration',
    entries: [
      { href: '/login', label: 'Log in', what: 'to your account' },
      { href: '/register', label: 'Create account', what: 'a name of your own on this wiki' },
      { href: '/special/reset-password', label: 'Reset password', what: 'a link to choose a new password, sent to your confirmed address' },
      { href: '/special/preferences', label: 'Preferences', what: 'your email address, mail about notifications, what you watch', account: true },
      { href: '/special/change-password', label: 'Change password', what: 'with your current one; you are logged out everywhere else', account: true },
      { href: '/special/block', label: 'Block and unblock', what: 'accounts, addresses and ranges, and the blocks in force', right: 'block' },
      { href: '/special/mass-rollback', label: 'Mass rollback', what: 'every recent edit of one account or address, after a preview', right: 'rollback' },
    ],
  },
];

export function specialPagesPage(ctx: ViewContext): Html {
  const shown = (e: Entry) => (e.right ? ctx.can(e.right) : e.account ? ctx.actor?.kind === 'user' : true);
  return layout(ctx, {
    title: 'Special pages',
    body: html`<h1 class="page-title">Special pages</h1>
      <p>Pages the wiki makes for you, rather than pages people write. MediaWiki's names work too: <a href="/wiki/Special:RecentChanges">Special:RecentChanges</a> leads to recent changes.</p>
      ${GROUPS.map((g) => html`<h2>${g.heading}</h2>
        <ul class="special-pages">${g.entries.filter(shown).map((e) => html`<li><a href="${e.href}">${e.label}</a>: ${e.what}${e.right ? html` <span class="hint">(administrators)</span>` : null}</li>`)}</ul>`)}`,
  });
}
