/**
 * MediaWiki's special page names (/wiki/Special:RecentChanges, Special:Contributions/Alice, ...)
 * as people type them from habit or follow them from other wikis: each leads to this wiki's own
 * page. Names are matched as MediaWiki matches its aliases: case, spaces and underscores aside.
 */
import type { Actor } from '../wiki/types.js';
import { wikiPath } from '../wiki/title.js';

/** The path a special page name (and its subpage, after a "/") leads to, given the request's query. */
type Target = (sub: string | undefined, actor: Actor | undefined, query: Record<string, unknown>) => string;

const enc = encodeURIComponent;
const withSub = (path: string, param: string): Target => (sub) => (sub ? `${path}?${param}=${enc(sub)}` : path);
/** A page of the viewer's own: theirs when logged in, else the login page that comes back to it. */
const own = (to: (a: Actor) => string, name: string): Target => (_sub, actor) => (actor ? to(actor) : `/login?returnto=${enc(`/wiki/Special:${name}`)}`);

const TARGETS: Record<string, Target> = {
  recentchanges: () => '/special/recent-changes',
  // MediaWiki's search form sends `search`; a subpage is the query too.
  search: (sub, _a, query) => {
    const q = sub ?? (typeof query.search === 'string' ? query.search : undefined);
    return q ? `/special/search?q=${enc(q)}${query.fulltext !== undefined ? '&fulltext=1' : ''}` : '/special/search';
  },
  allpages: () => '/special/all-pages',
  random: () => '/special/random',
  randompage: () => '/special/random',
  watchlist: () => '/special/watchlist',
  contributions: (sub) => (sub ? `/special/contributions/${enc(sub.replace(/ /g, '_'))}` : '/special/recent-changes'),
  log: withSub('/special/log', 'type'),
  categories: () => '/special/categories',
  userlogin: () => '/login',
  createaccount: () => '/register',
  whatlinkshere: (sub) => (sub ? `/special/links-here/${enc(sub.replace(/ /g, '_')).replace(/%2F/g, '/')}` : '/special/links-here'),
  wantedpages: () => '/special/wanted-pages',
  lonelypages: () => '/special/orphaned-pages',
  block: withSub('/special/block', 'target'),
  blocklist: () => '/special/block',
  newpages: () => '/special/recent-changes?tag=new',
  mypage: own((a) => wikiPath(`User:${a.name}`), 'MyPage'),
  mytalk: own((a) => wikiPath(`User talk:${a.name}`), 'MyTalk'),
  mycontributions: own((a) => `/special/contributions/${enc(a.name.replace(/ /g, '_'))}`, 'MyContributions'),
  massrollback: () => '/special/mass-rollback',
  specialpages: () => '/special/special-pages',
  nuke: () => '/special/mass-rollback',
  notifications: () => '/special/notifications',
  preferences: () => '/special/preferences',
  changepassword: () => '/special/change-password',
  passwordreset: () => '/special/reset-password',
  resetpass: () => '/special/reset-password',
  confirmemail: () => '/special/confirm-email',
};

/**
 * Where /wiki/Special:NAME[/SUB] leads: `{ to }` for a name this wiki has, `{ unknown }` for one it
 * has not; undefined when `raw` (the path after /wiki/, percent-decoded) is no special page name.
 */
export function specialTarget(raw: string, actor: Actor | undefined, query: Record<string, unknown>): { to: string } | { unknown: string } | undefined {
  const m = /^special:(.*)$/is.exec(raw);
  if (!m) return undefined;
  const rest = m[1]!.replace(/_/g, ' ');
  const slash = rest.indexOf('/');
  const name = (slash === -1 ? rest : rest.slice(0, slash)).trim();
  const sub = slash === -1 ? undefined : rest.slice(slash + 1).trim() || undefined;
  const key = name.toLowerCase().replace(/\s+/g, '');
  return Object.hasOwn(TARGETS, key) ? { to: TARGETS[key]!(sub, actor, query) } : { unknown: name };
}
