/**
 * action=protect, delete, undelete, move, block, unblock: the wiki's own admin acts (wiki/admin.ts),
 * with MediaWiki's parameters and answers. Protection levels map as SPEC section 10 says:
 * edit=autoconfirmed is semi, edit=sysop is full.
 */
import { ApiError } from './errors.js';
import { mwTime, pageParam, requireToken, type ApiContext, type ApiModule } from './context.js';
import { blockTarget, deletePage, movePage, protectPage, unblock, undeletePage } from '../../../wiki/admin.js';
import { parseExpiry } from '../../../wiki/expiry.js';
import type { ProtectionLevel } from '../../../wiki/types.js';

function posted(c: ApiContext, action: string): void {
  requireToken(c);
  if (c.req.method !== 'POST') throw new ApiError('mustbeposted', `The "${action}" module requires a POST request.`);
}

/** An expiry as MediaWiki clients send it (infinite, infinity, never, a time, a duration). */
function expiryParam(c: ApiContext, name: string): string | null {
  const raw = c.p.str(name);
  if (raw === undefined) return null;
  const stamp = /^\d{14}$/.test(raw.trim()) ? c.p.timestamp(name) : undefined;
  try {
    return parseExpiry(stamp ?? raw);
  } catch (e) {
    throw new ApiError('invalidexpiry', (e as Error).message);
  }
}

const LEVELS: Record<string, ProtectionLevel | 'none'> = { all: 'none', '': 'none', autoconfirmed: 'semi', sysop: 'full' };

export const protectModule: ApiModule = async (c) => {
  posted(c, 'protect');
  const title = pageParam(c);
  const rules = c.p.list('protections');
  if (rules.length === 0) throw new ApiError('missingparam', 'The "protections" parameter must be set.');
  // The wiki protects editing (moves follow it): the edit rule decides; a move rule alone is taken as one.
  const edit = rules.map((r) => r.split('=')).find(([type]) => type === 'edit') ?? rules.map((r) => r.split('='))[0]!;
  const level = LEVELS[edit[1] ?? ''];
  if (level === undefined) throw new ApiError('protect-invalidlevel', `Invalid protection level "${edit[1]}".`);
  const expiry = expiryParam(c, 'expiry');
  const reason = c.p.str('reason') ?? '';
  c.p.flag('cascade');
  c.p.str('watchlist');
  c.req.can.require('protect', title);
  if (!c.deps.stores.pages.byTitle(title)) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
  await c.deps.act(c.req, c.res, {}, ({ by }) => protectPage(c.deps.stores, by, title, level, expiry, reason));
  const shown = level === 'none' ? 'all' : level === 'full' ? 'sysop' : 'autoconfirmed';
  return { protect: { title: title.text, reason, protections: [{ edit: shown, expiry: expiry ? mwTime(expiry) : 'infinite' }, { move: shown, expiry: expiry ? mwTime(expiry) : 'infinite' }] } };
};

export const deleteModule: ApiModule = async (c) => {
  posted(c, 'delete');
  const title = pageParam(c);
  const reason = c.p.str('reason') ?? '';
  c.p.str('watchlist');
  c.req.can.require('delete', title);
  const page = c.deps.stores.pages.byTitle(title);
  if (!page) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
  await c.deps.act(c.req, c.res, {}, ({ by }) => deletePage(c.deps.stores, by, title, reason));
  return { delete: { title: title.text, reason, logid: 0 } };
};

export const undeleteModule: ApiModule = async (c) => {
  posted(c, 'undelete');
  const title = pageParam(c);
  const reason = c.p.str('reason') ?? '';
  c.p.list('timestamps');
  c.req.can.require('undelete', title);
  await c.deps.act(c.req, c.res, {}, ({ by }) => undeletePage(c.deps.stores, by, title, reason));
  const page = c.deps.stores.pages.byTitle(title);
  const revisions = page ? c.deps.stores.revisions.facts(page.id).edits : 0;
  return { undelete: { title: title.text, revisions, fileversions: 0, reason } };
};

export const moveModule: ApiModule = async (c) => {
  posted(c, 'move');
  const from = pageParam(c, 'from', 'fromid', 'source title');
  const to = pageParam(c, 'to', undefined, 'target title');
  const reason = c.p.str('reason') ?? '';
  const noredirect = c.p.flag('noredirect');
  c.p.flag('movetalk');
  c.p.flag('movesubpages');
  c.p.str('watchlist');
  c.p.flag('ignorewarnings');
  if (noredirect) c.req.can.require('suppress-redirect', from);
  c.req.can.require('move', from);
  const moved = await c.deps.act(c.req, c.res, {}, ({ by }) => movePage(c.deps.stores, by, from, to, reason, !noredirect));
  return { move: { from: from.text, to: moved.title.text, reason, ...(noredirect ? {} : { redirectcreated: c.fv === 1 ? '' : true }) } };
};

export const blockModule: ApiModule = async (c) => {
  posted(c, 'block');
  const target = c.p.str('user') ?? (c.p.id('userid') !== undefined ? c.deps.stores.actors.byId(c.p.id('userid')!)?.name : undefined);
  if (!target) throw new ApiError('missingparam', 'The "user" parameter must be set.');
  const expiry = expiryParam(c, 'expiry');
  const reason = c.p.str('reason') ?? '';
  // As MediaWiki's API takes them: each option is on only when its flag is sent (the wiki's own
  // forms and JSON API default autoblock and the own talk page to on; MediaWiki's clients say what they want).
  const options = { anonOnly: c.p.flag('anononly'), autoblock: c.p.flag('autoblock') && !c.p.flag('noautoblock'), allowUsertalk: c.p.flag('allowusertalk') };
  for (const ignored of ['nocreate', 'noemail', 'hidename', 'reblock', 'watchuser', 'partial', 'pagerestrictions', 'namespacerestrictions', 'tags']) c.p.str(ignored);
  c.req.can.require('block');
  const block = await c.deps.act(c.req, c.res, {}, ({ by }) => blockTarget(c.deps.stores, by, target, expiry, reason, options));
  return {
    block: {
      user: block.target, id: block.id, reason: block.reason, expiry: block.expiry ? mwTime(block.expiry) : 'infinite',
      ...(block.anonOnly ? { anononly: c.fv === 1 ? '' : true } : {}), ...(block.autoblock ? { autoblock: c.fv === 1 ? '' : true } : {}),
      ...(block.allowUsertalk ? { allowusertalk: c.fv === 1 ? '' : true } : {}),
    },
  };
};

export const unblockModule: ApiModule = async (c) => {
  posted(c, 'unblock');
  const reason = c.p.str('reason') ?? '';
  c.p.list('tags');
  c.req.can.require('block');
  let id = c.p.id('id');
  const user = c.p.str('user');
  if (id === undefined && user !== undefined) {
    id = c.deps.stores.blocks.active(new Date().toISOString(), 500).find((b) => b.target === user.trim() && b.parentId === null)?.id;
    if (id === undefined) throw new ApiError('cantunblock', `${user} is not blocked.`);
  }
  if (id === undefined) throw new ApiError('missingparam', 'One of the parameters "id" and "user" is required.');
  const block = c.deps.stores.blocks.byId(id);
  if (!block) throw new ApiError('cantunblock', `There is no active block ${id}.`);
  await c.deps.act(c.req, c.res, {}, ({ by }) => unblock(c.deps.stores, by, id!, reason));
  return { unblock: { id, user: block.target, reason } };
};
