/**
 * action=query: meta=siteinfo|userinfo|tokens, the pages named by titles, pageids or revids with
 * prop=info|revisions, and list=allpages|recentchanges, with MediaWiki's `continue`.
 */
import type { Stores } from '../../../db/stores.js';
import { ApiError } from './errors.js';
import { flagField, groupsOf, mwTime, NAMESPACE_IDS, namespaceOf, rightsOf, tokenOf, type ApiContext, type ApiModule } from './context.js';
import { NAMESPACES, tryParseTitle, type Title } from '../../../wiki/title.js';
import { GENERATOR } from '../../../wiki/mediawiki.js';
import { allPages, categoryMembers, pagesLinkingHere } from '../../../wiki/lists.js';
import { recentChanges } from '../../../wiki/changes.js';
import { searchPagesAsync, titlesStartingWith } from '../../../wiki/search.js';
import type { Page, Revision } from '../../../wiki/types.js';

const MAX_TITLES = 50;
const LISTS = ['allpages', 'recentchanges', 'search', 'usercontribs', 'backlinks', 'categorymembers', 'logevents'] as const;
/** The lists that can name the pages of a query (generator=), their parameters prefixed with "g". */
const GENERATORS = ['allpages', 'recentchanges', 'search', 'backlinks', 'categorymembers'] as const;
const MAX_LIMIT = 500;
/** Revisions with their text: fewer at once, as MediaWiki allows. */
const MAX_CONTENT_LIMIT = 50;

type Answer = Record<string, unknown>;

export const queryModule: ApiModule = async (c) => {
  const { p, deps } = c;
  const stores = deps.stores;
  const lists = p.choices('list', LISTS);
  const generator = p.choice('generator', ['', ...GENERATORS], '');
  // Search first indexes what waits in its queue, off the event loop: before the one read snapshot below.
  const found = lists.includes('search') ? await searchFor(c, '') : undefined;
  const generated = generator === 'search' ? await searchFor(c, 'g') : undefined;
  return stores.read(() => {
    const query: Answer = {};
    const cont: Record<string, string> = {};
    for (const meta of p.choices('meta', ['siteinfo', 'userinfo', 'tokens'] as const)) {
      if (meta === 'siteinfo') Object.assign(query, siteinfo(c));
      if (meta === 'userinfo') query.userinfo = userinfo(c);
      if (meta === 'tokens') query.tokens = tokens(c);
    }
    const set = generator ? generatedSet(c, stores, generator, cont, generated) : pageSet(c, stores);
    if (set.normalized.length) query.normalized = set.normalized;
    const props = p.choices('prop', ['info', 'revisions', 'links', 'categories'] as const);
    if (set.entries.length || props.length) {
      const pages = set.entries.map((e) => pageEntry(c, stores, e, props, cont));
      if (set.entries.length) query.pages = c.fv === 1 ? Object.fromEntries(pages.map((pg, i) => [String(set.entries[i]!.page?.id ?? -(i + 1)), pg])) : pages;
    }
    for (const list of lists) {
      if (list === 'allpages') query.allpages = allPagesList(c, stores, cont, '').map(pageRefJson);
      if (list === 'recentchanges') query.recentchanges = recentChangesList(c, stores, cont, '');
      if (list === 'usercontribs') query.usercontribs = userContribsList(c, stores, cont);
      if (list === 'backlinks') query.backlinks = backlinksList(c, stores, cont, '').map(pageRefJson);
      if (list === 'categorymembers') query.categorymembers = categoryMembersList(c, stores, cont, '').map(pageRefJson);
      if (list === 'logevents') query.logevents = logEventsList(c, stores, cont);
      if (list === 'search' && found) {
        query.searchinfo = { totalhits: found.total };
        query.search = found.hits;
        if (found.next !== undefined) cont.sroffset = String(found.next);
      }
    }
    return {
      ...(Object.keys(cont).length ? { continue: { ...cont, continue: '-||' } } : { batchcomplete: c.fv === 1 ? '' : true }),
      ...(Object.keys(query).length ? { query } : {}),
    };
  });
};

function siteinfo(c: ApiContext): Answer {
  const props = c.p.list('siprop');
  const want = new Set(props.length ? props : ['general']);
  const base = c.deps.config.publicUrl;
  const out: Answer = {};
  if (want.has('general')) {
    out.general = {
      mainpage: 'Main Page', base: `${base}/wiki/Main_Page`, sitename: 'Peerwiki', generator: GENERATOR,
      phpversion: process.version, dbtype: 'sqlite', lang: 'en', case: 'first-letter', rights: '', timezone: 'UTC', timeoffset: 0,
      articlepath: '/wiki/$1', scriptpath: '/w', script: '/w/api.php', server: base, servername: new URL(base).hostname,
      legaltitlechars: " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+", maxarticlesize: 1024 * 1024,
      ...flagField(c, 'writeapi', true),
    };
  }
  if (want.has('namespaces')) {
    const list = [
      { id: -2, name: 'Media' }, { id: -1, name: 'Special' },
      ...NAMESPACES.map((ns) => ({ id: NAMESPACE_IDS[ns], name: ns })), { id: 0, name: '' },
    ].sort((a, b) => a.id - b.id);
    const entry = (n: { id: number; name: string }) => ({
      id: n.id, case: 'first-letter', ...(c.fv === 1 ? { '*': n.name } : { name: n.name }), canonical: n.name,
      ...flagField(c, 'subpages', n.id === 2 || n.id === 3), ...flagField(c, 'content', n.id === 0), contentmodel: 'markdown',
    });
    out.namespaces = c.fv === 1 ? Object.fromEntries(list.map((n) => [String(n.id), entry(n)])) : Object.fromEntries(list.map((n) => [String(n.id), entry(n)]));
  }
  if (want.has('namespacealiases')) out.namespacealiases = [{ id: 4, ...(c.fv === 1 ? { '*': 'Project' } : { alias: 'Project' }) }];
  return out;
}

function userinfo(c: ApiContext): Answer {
  const actor = c.req.actor;
  const registered = actor?.kind === 'user';
  const props = new Set(c.p.list('uiprop'));
  const out: Answer = { id: registered ? actor.id : 0, name: actor?.name ?? c.req.ip ?? '127.0.0.1', ...(registered ? {} : flagField(c, 'anon', true)) };
  if (props.has('groups')) out.groups = groupsOf(actor);
  if (props.has('rights')) out.rights = rightsOf(c);
  if (props.has('editcount') && registered) out.editcount = actor.editCount;
  if (props.has('hasmsg') && actor) Object.assign(out, flagField(c, 'messages', c.req.alerts()?.newMessages !== undefined));
  if (props.has('blockinfo')) {
    const block = c.req.can.block();
    if (block) {
      Object.assign(out, {
        blockid: block.id, blockedby: block.byName ?? '', blockedbyid: block.byActor, blockreason: block.reason,
        blockedtimestamp: mwTime(block.createdAt), blockexpiry: block.expiry ? mwTime(block.expiry) : 'infinite',
      });
    }
  }
  return out;
}

const TOKEN_TYPES = ['csrf', 'login', 'patrol', 'rollback', 'watch', 'userrights', 'createaccount', 'deleteglobalaccount', 'setglobalaccountstatus'] as const;

function tokens(c: ApiContext): Answer {
  const types = c.p.choices('type', TOKEN_TYPES);
  const token = tokenOf(c);
  return Object.fromEntries((types.length ? types : ['csrf']).map((t) => [`${t}token`, token]));
}

interface Entry {
  /** The title asked for (or the page's), when there is one. */
  title?: Title;
  page?: Page;
  invalid?: { given: string; reason: string };
  /** Revisions named by revids on this page. */
  revids?: number[];
  missingId?: number;
}

/** The pages a query names (titles, pageids or revids; one of them), in the order asked. */
function pageSet(c: ApiContext, stores: Stores): { entries: Entry[]; normalized: Answer[] } {
  const { p } = c;
  const titles = p.list('titles');
  const pageids = p.list('pageids');
  const revids = p.list('revids');
  if ([titles, pageids, revids].filter((l) => l.length).length > 1) throw new ApiError('invalidparammix', 'The parameters "titles", "pageids" and "revids" can not be used together.');
  const all = [...titles, ...pageids, ...revids];
  if (all.length > MAX_TITLES) throw new ApiError('toomanyvalues', `Too many values supplied for parameter "titles": the limit is ${MAX_TITLES}.`);
  const normalized: Answer[] = [];
  const entries: Entry[] = [];
  for (const given of titles) {
    const title = tryParseTitle(given.replace(/_/g, ' '));
    if (!title) {
      entries.push({ invalid: { given, reason: `The requested page title "${given}" is invalid.` } });
      continue;
    }
    if (title.text !== given) normalized.push({ from: given, to: title.text });
    entries.push({ title, page: stores.pages.byTitle(title) });
  }
  for (const raw of pageids) {
    const id = Number(raw);
    const page = Number.isSafeInteger(id) && id > 0 ? stores.pages.byId(id) : undefined;
    entries.push(page ? { title: page.title, page } : { missingId: id });
  }
  const byPage = new Map<number, Entry>();
  for (const raw of revids) {
    const id = Number(raw);
    const rev = Number.isSafeInteger(id) && id > 0 ? stores.revisions.byId(id) : undefined;
    const page = rev && stores.pages.byId(rev.pageId);
    if (!rev || !page || page.title.text.startsWith('#')) throw new ApiError('nosuchrevid', `There is no revision with ID ${raw}.`);
    const entry = byPage.get(page.id) ?? { title: page.title, page, revids: [] };
    entry.revids!.push(id);
    if (!byPage.has(page.id)) entries.push(entry);
    byPage.set(page.id, entry);
  }
  return { entries, normalized };
}

function pageEntry(c: ApiContext, stores: Stores, e: Entry, props: string[], cont: Record<string, string>): Answer {
  if (e.invalid) return { title: e.invalid.given, invalidreason: e.invalid.reason, ...flagField(c, 'invalid', true) };
  if (e.missingId !== undefined) return { pageid: e.missingId, ...flagField(c, 'missing', true) };
  const title = e.title!;
  const head = { ...(e.page ? { pageid: e.page.id } : {}), ns: namespaceOf(title), title: title.text };
  if (!e.page) return { ...head, ...flagField(c, 'missing', true), ...(props.includes('info') ? { contentmodel: 'markdown', pagelanguage: 'en' } : {}) };
  const out: Answer = { ...head };
  if (props.includes('info')) Object.assign(out, info(c, stores, e.page));
  if (props.includes('revisions')) {
    const revs = revisions(c, stores, e.page, e.revids, cont);
    out.revisions = revs;
  }
  if (props.includes('links')) {
    c.p.list('plnamespace');
    c.p.str('pllimit');
    out.links = stores.links.outgoing(e.page.id).flatMap((t) => {
      const linked = tryParseTitle(t);
      return linked ? [{ ns: namespaceOf(linked), title: linked.text }] : [];
    });
  }
  if (props.includes('categories')) {
    c.p.str('cllimit');
    c.p.list('clprop');
    out.categories = stores.links.categoriesOfPage(e.page.id).map((name) => ({ ns: 14, title: `Category:${name}` }));
  }
  return out;
}

function info(c: ApiContext, stores: Stores, page: Page): Answer {
  const latest = stores.revisions.byId(page.latestId)!;
  const protection = stores.protection.get(page.id, new Date().toISOString());
  const out: Answer = {
    contentmodel: 'markdown', pagelanguage: 'en', pagelanguagehtmlcode: 'en', pagelanguagedir: 'ltr',
    touched: mwTime(latest.timestamp), lastrevid: page.latestId, length: latest.size, ...flagField(c, 'redirect', page.isRedirect),
  };
  if (c.p.list('inprop').includes('protection')) {
    out.protection = protection
      ? [{ type: 'edit', level: protection.level === 'full' ? 'sysop' : 'autoconfirmed', expiry: protection.expiry ? mwTime(protection.expiry) : 'infinity' }]
      : [];
    out.restrictiontypes = ['edit', 'move'];
  }
  return out;
}

const RVPROPS = ['ids', 'timestamp', 'flags', 'comment', 'parsedcomment', 'user', 'userid', 'content', 'size', 'sha1', 'tags', 'contentmodel', 'slotsize', 'slotsha1', 'roles'] as const;

/** prop=revisions: the latest revision, or (rvlimit, rvdir, rvstartid, rvendid, rvstart, rvend, rvcontinue) a run of the history. */
function revisions(c: ApiContext, stores: Stores, page: Page, revids: number[] | undefined, cont: Record<string, string>): Answer[] {
  const { p } = c;
  const props = new Set<string>(p.choices('rvprop', RVPROPS));
  if (props.size === 0) for (const d of ['ids', 'timestamp', 'flags', 'comment', 'user']) props.add(d);
  const slots = p.list('rvslots');
  p.str('rvsection');
  const listing = p.has('rvlimit') || p.has('rvdir') || p.has('rvstartid') || p.has('rvendid') || p.has('rvstart') || p.has('rvend') || p.has('rvcontinue');
  let rows: Revision[];
  if (revids) rows = revids.map((id) => stores.revisions.byId(id)!);
  else if (!listing) rows = [stores.revisions.byId(page.latestId)!];
  else {
    const max = props.has('content') ? MAX_CONTENT_LIMIT : MAX_LIMIT;
    const limit = p.limit('rvlimit', 10, max);
    const newer = p.choice('rvdir', ['older', 'newer'], 'older') === 'newer';
    const startTime = p.timestamp('rvstart');
    const endTime = p.timestamp('rvend');
    const continued = p.str('rvcontinue');
    const fromId = continued !== undefined ? Number(continued.split('|').pop()) : p.id('rvstartid');
    const endId = p.id('rvendid');
    rows = runOfHistory(stores, page, { newer, fromId, limit: limit + 1, startTime, endTime, endId });
    if (rows.length > limit) {
      cont.rvcontinue = String(rows[limit]!.id);
      rows = rows.slice(0, limit);
    }
  }
  return rows.map((r) => revisionEntry(c, stores, r, props, slots.length > 0));
}

/** Revisions of `page` from `fromId` on (inclusive) in the direction asked, stopping at `endId` or the times given. */
function runOfHistory(stores: Stores, page: Page, given: { newer: boolean; fromId?: number; limit: number; startTime?: string; endTime?: string; endId?: number }): Revision[] {
  // MediaWiki's times are to the second: a bound takes in the whole second it names.
  const upper = (t: string | undefined) => (t === undefined ? undefined : new Date(Date.parse(t) + 999).toISOString());
  const o = given.newer ? { ...given, endTime: upper(given.endTime) } : { ...given, startTime: upper(given.startTime) };
  const out: Revision[] = [];
  const within = (r: Revision) => (o.newer
    ? (o.startTime === undefined || r.timestamp >= o.startTime) && (o.endTime === undefined || r.timestamp <= o.endTime) && (o.endId === undefined || r.id <= o.endId)
    : (o.startTime === undefined || r.timestamp <= o.startTime) && (o.endTime === undefined || r.timestamp >= o.endTime) && (o.endId === undefined || r.id >= o.endId));
  if (!o.newer) {
    let before = o.fromId !== undefined ? o.fromId + 1 : undefined;
    while (out.length < o.limit) {
      const batch = stores.revisions.history(page.id, { beforeId: before, limit: o.limit - out.length + 1 });
      if (batch.length === 0) break;
      for (const r of batch) {
        if (o.startTime !== undefined && r.timestamp > o.startTime) continue;
        if (!within(r)) return out;
        out.push(r);
        if (out.length >= o.limit) return out;
      }
      before = batch[batch.length - 1]!.id;
    }
    return out;
  }
  // Oldest first: walk forward from the start (the first revision, or the one asked for).
  let id: number | undefined = o.fromId ?? stores.revisions.facts(page.id).firstId;
  if (id !== undefined && stores.revisions.byId(id)?.pageId !== page.id) id = stores.revisions.nextId(page.id, id);
  while (id !== undefined && out.length < o.limit) {
    const r = stores.revisions.byId(id)!;
    if (o.startTime !== undefined && r.timestamp < o.startTime) {
      id = stores.revisions.nextId(page.id, id);
      continue;
    }
    if (!within(r)) break;
    out.push(r);
    id = stores.revisions.nextId(page.id, id);
  }
  return out;
}

function revisionEntry(c: ApiContext, stores: Stores, r: Revision, props: Set<string>, slots: boolean): Answer {
  const out: Answer = {};
  if (props.has('ids')) Object.assign(out, { revid: r.id, parentid: r.parentId ?? 0 });
  if (props.has('flags')) Object.assign(out, c.fv === 1 ? flagField(c, 'minor', r.minor) : { minor: r.minor });
  if (props.has('user')) Object.assign(out, { user: r.actor.name, ...flagField(c, 'temp', r.actor.kind === 'temp') });
  if (props.has('userid')) out.userid = r.actor.kind === 'user' ? r.actor.id : 0;
  if (props.has('timestamp')) out.timestamp = mwTime(r.timestamp);
  if (props.has('size')) out.size = r.size;
  if (props.has('sha1')) out.sha1 = r.sha1;
  if (props.has('comment')) out.comment = r.comment;
  if (props.has('parsedcomment')) out.parsedcomment = escapeHtml(r.comment);
  if (props.has('tags')) out.tags = r.tags;
  if (props.has('contentmodel') && !slots) out.contentmodel = 'markdown';
  if (props.has('content')) {
    const text = stores.content.get(r.contentId);
    const body = c.fv === 1 ? { contentformat: 'text/markdown', contentmodel: 'markdown', '*': text } : { contentmodel: 'markdown', contentformat: 'text/markdown', content: text };
    if (slots) out.slots = { main: body };
    else Object.assign(out, body);
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** list=allpages: apfrom, apcontinue, apprefix, apnamespace, aplimit. */
function allPagesList(c: ApiContext, stores: Stores, cont: Record<string, string>, g: '' | 'g'): ListedRef[] {
  const { p } = c;
  const ns = p.int(`${g}apnamespace`) ?? 0;
  const nsName = (Object.entries(NAMESPACE_IDS).find(([, id]) => id === ns)?.[0] ?? undefined) as string | undefined;
  if (nsName === undefined) return [];
  const prefixOf = (s: string) => (nsName ? `${nsName}:${s}` : s);
  const limit = p.limit(`${g}aplimit`, 10, MAX_LIMIT);
  const from = p.str(`${g}apcontinue`) ?? p.str(`${g}apfrom`) ?? '';
  const prefix = prefixOf((p.str(`${g}apprefix`) ?? '').replace(/_/g, ' '));
  p.str(`${g}apfilterredir`);
  const listed = allPages(stores, { prefix, from: from ? prefixOf(from.replace(/_/g, ' ')) : prefix, offset: 0, limit });
  // The main namespace's list holds only titles without a namespace prefix.
  const items = listed.items.filter((i) => namespaceOf(i.title) === ns);
  if (listed.next) cont[`${g}apcontinue`] = nsName ? listed.next.from.slice(nsName.length + 1) : listed.next.from;
  return items.map((i) => ({ id: i.id, title: i.title }));
}

interface ListedRef {
  id: number;
  title: Title;
}

function pageRefJson(r: ListedRef): Answer {
  return { pageid: r.id, ns: namespaceOf(r.title), title: r.title.text };
}

/** list=recentchanges: rcprop, rclimit, rcnamespace, rcuser, rcshow=!minor, rccontinue (newest first). */
function recentChangesList(c: ApiContext, stores: Stores, cont: Record<string, string>, g: '' | 'g'): Answer[] {
  return recentChangesOf(c, stores, cont, g).map(({ answer }) => answer);
}

function recentChangesOf(c: ApiContext, stores: Stores, cont: Record<string, string>, g: '' | 'g'): Array<{ answer: Answer; page: Page }> {
  const { p } = c;
  const limit = p.limit(`${g}rclimit`, 10, MAX_LIMIT);
  const props = new Set(p.list(`${g}rcprop`).length ? p.list(`${g}rcprop`) : ['title', 'timestamp', 'ids']);
  const show = new Set(p.list(`${g}rcshow`));
  const userName = p.str(`${g}rcuser`);
  const actor = userName !== undefined ? stores.actors.byName(userName) : undefined;
  if (userName !== undefined && !actor) return [];
  const ns = p.int(`${g}rcnamespace`);
  const nsName = ns === undefined ? undefined : Object.entries(NAMESPACE_IDS).find(([, id]) => id === ns)?.[0];
  const continued = p.str(`${g}rccontinue`);
  const beforeId = continued !== undefined ? Number(continued.split('|').pop()) + 1 : undefined;
  p.str(`${g}rcdir`);
  p.str(`${g}rctype`);
  p.str(`${g}rcstart`);
  p.flag(`${g}rctoponly`);
  const changes = recentChanges(stores, {
    beforeId, limit: limit + 1, actorId: actor?.id, namespace: nsName, hideMinor: show.has('!minor'), since: p.timestamp(`${g}rcend`),
    tag: p.str(`${g}rctag`), latestOnly: p.flag(`${g}rctoponly`) || undefined,
  });
  if (changes.length > limit) cont[`${g}rccontinue`] = `${mwTime(changes[limit]!.revision.timestamp).replace(/\D/g, '')}|${changes[limit]!.revision.id}`;
  return changes.slice(0, limit).map(({ revision: r, page }) => ({ page, answer: {
    type: r.parentId === null ? 'new' : 'edit',
    ...(props.has('title') ? { ns: namespaceOf(page.title), title: page.title.text } : {}),
    ...(props.has('ids') ? { pageid: page.id, revid: r.id, old_revid: r.parentId ?? 0, rcid: r.id } : {}),
    ...(props.has('user') ? { user: r.actor.name, ...flagField(c, 'anon', r.actor.kind !== 'user') } : {}),
    ...(props.has('userid') ? { userid: r.actor.kind === 'user' ? r.actor.id : 0 } : {}),
    ...(props.has('comment') ? { comment: r.comment } : {}),
    ...(props.has('timestamp') ? { timestamp: mwTime(r.timestamp) } : {}),
    ...(props.has('sizes') ? { oldlen: r.parentSize, newlen: r.size } : {}),
    ...(props.has('flags') ? { ...flagField(c, 'minor', r.minor), ...flagField(c, 'new', r.parentId === null) } : {}),
    ...(props.has('tags') ? { tags: r.tags } : {}),
    ...(props.has('sha1') ? { sha1: r.sha1 } : {}),
    ...(props.has('patrolled') && c.req.can('patrol') ? flagField(c, r.patrolled ? 'patrolled' : 'unpatrolled', true) : {}),
  } }));
}

/**
 * list=search: srsearch in the pages' text (title matches first, then by relevance, as the wiki's
 * search ranks), or in titles with srwhat=title; sroffset and srlimit page through.
 */
async function searchFor(c: ApiContext, g: '' | 'g'): Promise<{ hits: Answer[]; total: number; next?: number }> {
  const { p, deps } = c;
  const q = p.str(`${g}srsearch`);
  if (q === undefined || q.trim() === '') throw new ApiError('missingparam', `The "${g}srsearch" parameter must be set.`);
  const limit = p.limit(`${g}srlimit`, 10, MAX_LIMIT);
  const offset = Math.max(0, p.int(`${g}sroffset`) ?? 0);
  const what = p.choice(`${g}srwhat`, ['text', 'title', 'nearmatch'], 'text');
  const props = new Set(p.list(`${g}srprop`).length ? p.list(`${g}srprop`) : ['size', 'wordcount', 'timestamp', 'snippet']);
  p.list(`${g}srnamespace`);
  p.str(`${g}srinfo`);
  p.str(`${g}srsort`);
  if (what !== 'text') {
    const pages = titlesStartingWith(deps.stores, q, offset + limit + 1).slice(offset);
    const hits = pages.slice(0, limit).map((pg) => ({ ns: namespaceOf(pg.title), title: pg.title.text, pageid: pg.id }));
    return { hits, total: offset + pages.length, ...(pages.length > limit ? { next: offset + limit } : {}) };
  }
  const results = await searchPagesAsync(deps.stores, q, limit + 1, offset);
  const hits = results.slice(0, limit).map((r) => {
    const title = tryParseTitle(r.title);
    const page = title ? deps.stores.pages.byTitle(title) : undefined;
    const latest = page ? deps.stores.revisions.byId(page.latestId) : undefined;
    return {
      ns: title ? namespaceOf(title) : 0, title: r.title, pageid: r.id,
      ...(props.has('size') && latest ? { size: latest.size } : {}),
      ...(props.has('wordcount') && latest ? { wordcount: Math.round(latest.size / 6) } : {}),
      ...(props.has('snippet') ? { snippet: r.excerpt.replace(/<mark>/g, '<span class="searchmatch">').replace(/<\/mark>/g, '</span>') } : {}),
      ...(props.has('timestamp') && latest ? { timestamp: mwTime(latest.timestamp) } : {}),
    };
  });
  return { hits, total: offset + results.length, ...(results.length > limit ? { next: offset + limit } : {}) };
}

/** list=usercontribs: ucuser (one name), uclimit, uccontinue, newest first. */
function userContribsList(c: ApiContext, stores: Stores, cont: Record<string, string>): Answer[] {
  const { p } = c;
  const names = p.list('ucuser');
  if (names.length === 0) throw new ApiError('missingparam', 'The "ucuser" parameter must be set.');
  if (names.length > 1) throw new ApiError('toomanyvalues', 'This wiki lists the contributions of one account at a time.');
  const actor = stores.actors.byName(names[0]!);
  if (!actor) return [];
  const limit = p.limit('uclimit', 10, MAX_LIMIT);
  const continued = p.str('uccontinue');
  const beforeId = continued !== undefined ? Number(continued.split('|').pop()) + 1 : undefined;
  p.list('ucprop');
  p.str('ucdir');
  const rows = stores.revisions.byActor(actor.id, { beforeId, limit: limit + 1 });
  if (rows.length > limit) cont.uccontinue = `${mwTime(rows[limit]!.timestamp).replace(/\D/g, '')}|${rows[limit]!.id}`;
  return rows.slice(0, limit).flatMap((r) => {
    const page = stores.pages.byId(r.pageId);
    if (!page || page.title.text.startsWith('#')) return [];
    return [{
      userid: actor.kind === 'user' ? actor.id : 0, user: actor.name, pageid: page.id, revid: r.id, parentid: r.parentId ?? 0,
      ns: namespaceOf(page.title), title: page.title.text, timestamp: mwTime(r.timestamp), comment: r.comment, size: r.size,
      ...flagField(c, 'new', r.parentId === null), ...flagField(c, 'minor', r.minor), ...flagField(c, 'top', r.id === page.latestId),
    }];
  });
}

/** list=backlinks: bltitle, bllimit, blcontinue (pages linking to a title, by title). */
function backlinksList(c: ApiContext, stores: Stores, cont: Record<string, string>, g: '' | 'g'): ListedRef[] {
  const { p } = c;
  const raw = p.str(`${g}bltitle`);
  if (raw === undefined) throw new ApiError('missingparam', `The "${g}bltitle" parameter must be set.`);
  const title = tryParseTitle(raw.replace(/_/g, ' '));
  if (!title) throw new ApiError('invalidtitle', `Bad title "${raw}".`);
  const limit = p.limit(`${g}bllimit`, 10, MAX_LIMIT);
  const offset = Math.max(0, Number(p.str(`${g}blcontinue`) ?? 0) || 0);
  p.list(`${g}blnamespace`);
  p.str(`${g}blfilterredir`);
  const rows = pagesLinkingHere(stores, title, limit + 1, offset);
  if (rows.length > limit) cont[`${g}blcontinue`] = String(offset + limit);
  return rows.slice(0, limit).map((r) => ({ id: r.id, title: r.title }));
}

/** list=categorymembers: cmtitle (Category:Name), cmlimit, cmcontinue (by title). */
function categoryMembersList(c: ApiContext, stores: Stores, cont: Record<string, string>, g: '' | 'g'): ListedRef[] {
  const { p } = c;
  const raw = p.str(`${g}cmtitle`) ?? (p.id(`${g}cmpageid`) !== undefined ? stores.pages.byId(p.id(`${g}cmpageid`)!)?.title.text : undefined);
  if (raw === undefined) throw new ApiError('missingparam', `The "${g}cmtitle" parameter must be set.`);
  const title = tryParseTitle(raw.replace(/_/g, ' '));
  if (!title || title.namespace !== 'Category') throw new ApiError('invalidcategory', `The category name "${raw}" is not valid.`);
  const limit = p.limit(`${g}cmlimit`, 10, MAX_LIMIT);
  for (const ignored of ['cmprop', 'cmnamespace', 'cmtype', 'cmsort', 'cmdir']) p.str(`${g}${ignored}`);
  const listed = categoryMembers(stores, title, p.str(`${g}cmcontinue`) ?? '', limit);
  if (listed.next) cont[`${g}cmcontinue`] = listed.next.from;
  return listed.items.map((r) => ({ id: r.id, title: r.title }));
}

/** list=logevents: letype, lelimit, lecontinue (newest first). */
function logEventsList(c: ApiContext, stores: Stores, cont: Record<string, string>): Answer[] {
  const { p } = c;
  const type = p.choice('letype', ['', 'protect', 'block', 'delete', 'move', 'rollback', 'patrol'], '');
  const limit = p.limit('lelimit', 10, MAX_LIMIT);
  const continued = p.str('lecontinue');
  const beforeId = continued !== undefined ? Number(continued.split('|').pop()) + 1 : undefined;
  for (const ignored of ['leprop', 'leaction', 'leuser', 'letitle', 'ledir', 'lestart', 'leend']) p.str(ignored);
  const rows = stores.log.list({ type: type || undefined, beforeId, limit: limit + 1 });
  if (rows.length > limit) cont.lecontinue = `${mwTime(rows[limit]!.timestamp).replace(/\D/g, '')}|${rows[limit]!.id}`;
  return rows.slice(0, limit).map((e) => {
    const title = tryParseTitle(e.target);
    return {
      logid: e.id, ns: title ? namespaceOf(title) : 2, title: e.target, type: e.type, action: e.action,
      user: e.actor.name, timestamp: mwTime(e.timestamp), comment: e.reason, params: e.details,
    };
  });
}

/** generator=: the pages a list names become the query's pages, its parameters and continue prefixed with "g". */
function generatedSet(c: ApiContext, stores: Stores, generator: string, cont: Record<string, string>, found: { hits: Answer[]; next?: number } | undefined): { entries: Entry[]; normalized: Answer[] } {
  let refs: ListedRef[];
  if (generator === 'allpages') refs = allPagesList(c, stores, cont, 'g');
  else if (generator === 'backlinks') refs = backlinksList(c, stores, cont, 'g');
  else if (generator === 'categorymembers') refs = categoryMembersList(c, stores, cont, 'g');
  else if (generator === 'recentchanges') {
    const seen = new Set<number>();
    refs = recentChangesOf(c, stores, cont, 'g').flatMap(({ page }) => (seen.has(page.id) ? [] : (seen.add(page.id), [{ id: page.id, title: page.title }])));
  } else {
    if (found?.next !== undefined) cont.gsroffset = String(found.next);
    refs = (found?.hits ?? []).flatMap((h) => {
      const page = stores.pages.byId(h.pageid as number);
      return page ? [{ id: page.id, title: page.title }] : [];
    });
  }
  return { entries: refs.flatMap((r) => {
    const page = stores.pages.byId(r.id);
    return page ? [{ title: page.title, page }] : [];
  }), normalized: [] };
}
