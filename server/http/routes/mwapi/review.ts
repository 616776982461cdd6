/** action=rollback and action=patrol: the wiki's own rollback and patrol, with MediaWiki's parameters and answers. */
import { ApiError } from './errors.js';
import { mwTime, pageParam, requireToken, type ApiModule } from './context.js';
import { rollback } from '../../../wiki/revert.js';
import { patrol } from '../../../wiki/patrol.js';
import { WikiError } from '../../../wiki/errors.js';

/**
 * Rolls back the last author's run of edits on `title` (or `pageid`); `user` names the author the
 * client saw: when someone else edited since, `alreadyrolled`, and nothing changes.
 */
export const rollbackModule: ApiModule = async (c) => {
  const { req, res, p, deps } = c;
  requireToken(c);
  if (req.method !== 'POST') throw new ApiError('mustbeposted', 'The "rollback" module requires a POST request.');
  const user = p.str('user');
  if (user === undefined || user === '') throw new ApiError('missingparam', 'The "user" parameter must be set.');
  const title = pageParam(c);
  const summary = p.str('summary') ?? '';
  p.list('tags');
  p.flag('markbot');
  p.str('watchlist');
  const page = deps.stores.pages.byTitle(title);
  if (!page) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
  try {
    const result = await deps.act(req, res, { rights: ['edit', 'rollback'], page: title, save: true }, ({ by, ip }) =>
      rollback(deps.stores, deps.workers, { title, from: user, actor: by, ip, comment: summary }));
    return {
      rollback: {
        title: result.page.title.text, pageid: result.page.id, summary: result.revision.comment,
        revid: result.revision.id, old_revid: result.revision.parentId ?? 0, last_revid: page.latestId,
      },
    };
  } catch (e) {
    if (e instanceof WikiError && e.code === 'edit_conflict') throw new ApiError('alreadyrolled', e.message);
    if (e instanceof WikiError && e.code === 'invalid_input') throw new ApiError('onlyauthor', e.message);
    throw e;
  }
};

/** Marks a revision reviewed: `revid`, or `rcid` (a recent change is named by its revision here). */
export const patrolModule: ApiModule = async (c) => {
  const { req, res, p, deps } = c;
  requireToken(c);
  if (req.method !== 'POST') throw new ApiError('mustbeposted', 'The "patrol" module requires a POST request.');
  const id = p.id('revid') ?? p.id('rcid');
  if (id === undefined) throw new ApiError('missingparam', 'One of the parameters "rcid" and "revid" is required.');
  p.list('tags');
  req.can.require('patrol');
  const revision = deps.stores.revisions.byId(id);
  if (!revision) throw new ApiError(p.has('revid') ? 'nosuchrevid' : 'nosuchrcid', `There is no ${p.has('revid') ? 'revision' : 'recent change'} with ID ${id}.`);
  await deps.act(req, res, {}, ({ by }) => patrol(deps.stores, by, id));
  const page = deps.stores.pages.byId(revision.pageId);
  return { patrol: { rcid: id, revid: id, ...(page ? { ns: 0, title: page.title.text } : {}), timestamp: mwTime(revision.timestamp) } };
};
