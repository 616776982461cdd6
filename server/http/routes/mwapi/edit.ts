/**
 * action=edit: text, appendtext, prependtext, section (a number, or "new" with sectiontitle),
 * summary, minor, baserevid or basetimestamp (the base a stale save is merged against, as the
 * wiki's own saves are; an overlap is `editconflict`), createonly, nocreate, undo. The save is the
 * wiki's save, through the same rights, blocks, limits and temporary accounts as the form's.
 */
import type { Stores } from '../../../db/stores.js';
import { ApiError } from './errors.js';
import { mwTime, pageParam, requireToken, type ApiContext, type ApiModule } from './context.js';
import { saveEditAsync } from '../../../wiki/edit.js';
import { undoRevision } from '../../../wiki/revert.js';
import { EditConflictError, NotFoundError } from '../../../wiki/errors.js';
import { getSection, newTopicSummary, withNewTopic } from '../../../wiki/sections.js';
import { protectionOf } from '../../../wiki/guard.js';
import { readLatest } from '../../../wiki/pages.js';
import type { Title } from '../../../wiki/title.js';
import type { SaveResult } from '../../../wiki/edit.js';

export const editModule: ApiModule = async (c) => {
  const { req, res, p, deps } = c;
  const { stores, workers, act } = deps;
  // As MediaWiki orders them: who the client thinks it is, then the token.
  assertUser(c);
  requireToken(c);
  if (req.method !== 'POST') throw new ApiError('mustbeposted', 'The "edit" module requires a POST request.');
  const title = pageParam(c);
  checkRights(c, title);
  const latest = readLatest(stores, title);
  if (p.flag('createonly') && latest) throw new ApiError('articleexists', 'The article you tried to create has been created already.');
  if (p.flag('nocreate') && !latest) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
  const summary = p.str('summary') ?? '';
  const minor = p.flag('minor') && !p.flag('notminor');
  // Someone deleted the page after this client started editing it: MediaWiki's pagedeleted, unless told to recreate.
  const started = p.timestamp('starttimestamp');
  const deletion = !latest && started !== undefined && !p.flag('recreate') ? stores.deletions.latest(title.text) : undefined;
  if (deletion && deletion.deletedAt >= started!) throw new ApiError('pagedeleted', 'The page has been deleted since you fetched its timestamp; send recreate to create it again.');
  p.str('watchlist');
  p.str('contentmodel');
  p.str('contentformat');
  p.str('md5');

  let result: SaveResult;
  try {
    const undo = p.id('undo');
    if (undo !== undefined) {
      if (!latest) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
      p.id('undoafter');
      result = await act(req, res, { save: true }, ({ actor, ip }) => undoRevision(stores, workers, { title: latest.page.title, actor, ip: ip ?? null, comment: summary, id: undo }));
    } else {
      const save = planned(c, stores, latest, summary);
      result = await act(req, res, { save: true }, ({ actor, ip }) => saveEditAsync(stores, workers, {
        title: latest?.page.title ?? title, source: save.source, comment: save.summary, minor, baseId: save.baseId,
        section: save.section ?? null, actor, ip: ip ?? null, mode: latest ? 'update' : 'create', sign: true,
      }));
    }
  } catch (e) {
    if (e instanceof EditConflictError) throw new ApiError('editconflict', 'Edit conflict: someone changed the same lines since your base revision. Nothing was saved; get the latest text and edit again.');
    if (e instanceof NotFoundError && p.has('undo')) throw new ApiError('nosuchrevid', e.message);
    throw e;
  }
  const head = { result: 'Success', pageid: result.page.id, title: result.page.title.text, contentmodel: 'markdown' };
  if (result.status === 'nochange') return { edit: { ...head, nochange: c.fv === 1 ? '' : true } };
  return {
    edit: {
      ...head,
      ...(result.created ? { new: c.fv === 1 ? '' : true } : {}),
      oldrevid: result.revision.parentId ?? 0,
      newrevid: result.revision.id,
      newtimestamp: mwTime(result.revision.timestamp),
      ...(result.merged ? { merged: c.fv === 1 ? '' : true } : {}),
      ...(result.actor?.kind === 'temp' ? { tempusercreated: result.actor.name } : {}),
    },
  };
};

/** `assert=user` (or `anon`): refuse when the request is not (or is) a logged-in account. */
function assertUser(c: ApiContext): void {
  const want = c.p.str('assert');
  const registered = c.req.actor?.kind === 'user';
  if (want === 'user' && !registered) throw new ApiError('assertuserfailed', 'You are no longer logged in, so the action could not be completed.');
  if (want === 'anon' && registered) throw new ApiError('assertanonfailed', 'You are logged in.');
  if (want === 'bot') throw new ApiError('assertbotfailed', 'You do not have the "bot" right, so the action could not be completed.');
  const name = c.p.str('assertuser');
  if (name !== undefined && c.req.actor?.name !== name) throw new ApiError('assertnameduserfailed', `You are no longer logged in as "${name}".`);
}

/** Refusals in MediaWiki's words: `blocked`, `protectedpage`, else `permissiondenied`. */
function checkRights(c: ApiContext, title: Title): void {
  if (c.req.can('edit', title)) return;
  const block = c.req.can.block();
  if (!block && protectionOf(c.deps.stores, title)) {
    try {
      c.req.can.require('edit', title);
    } catch (e) {
      throw new ApiError('protectedpage', (e as Error).message);
    }
  }
  // Throws the wiki's own refusal (a block carries the autoblock along, as the form's refusal does).
  c.req.can.require('edit', title);
}

interface Planned {
  source: string;
  summary: string;
  baseId: number | null;
  section?: number;
}

/** What to save: the whole text (or a section), its summary, and the base revision a stale save merges against. */
function planned(c: ApiContext, stores: Stores, latest: ReturnType<typeof readLatest>, summary: string): Planned {
  const { p } = c;
  const text = p.str('text');
  const append = p.str('appendtext');
  const prepend = p.str('prependtext');
  if (text === undefined && append === undefined && prepend === undefined) throw new ApiError('missingparam', 'One of the parameters "text", "appendtext", "prependtext" and "undo" is required.');
  const baseId = baseOf(c, stores, latest);
  const sectionParam = p.str('section');
  if (sectionParam === 'new') {
    const subject = p.str('sectiontitle') ?? (text !== undefined ? summary : '');
    return { source: withNewTopic(latest?.source, subject, text ?? append ?? ''), summary: summary && p.has('sectiontitle') ? summary : newTopicSummary(subject), baseId };
  }
  let section: number | undefined;
  if (sectionParam !== undefined && sectionParam !== '' && sectionParam !== '0') {
    if (!/^\d+$/.test(sectionParam)) throw new ApiError('invalidsection', 'The "section" parameter must be a valid section ID or "new".');
    section = Number(sectionParam);
    if (!latest || getSection(latest.source, section) === undefined) throw new ApiError('nosuchsection', `There is no section ${sectionParam}.`);
  }
  const current = section !== undefined ? getSection(latest!.source, section)! : (latest?.source ?? '');
  const source = text ?? `${prepend ?? ''}${current}${append ?? ''}`;
  return { source, summary, baseId, section };
}

/**
 * The base revision: `baserevid`, else the revision that was latest at `basetimestamp` (MediaWiki's
 * clients send the timestamp of the text they edited), else the latest (no base: the save replaces).
 */
function baseOf(c: ApiContext, stores: Stores, latest: ReturnType<typeof readLatest>): number | null {
  if (!latest) return null;
  const baserevid = c.p.id('baserevid');
  if (baserevid !== undefined) {
    const rev = stores.revisions.byId(baserevid);
    if (!rev || rev.pageId !== latest.page.id) throw new ApiError('nosuchrevid', `There is no revision with ID ${baserevid} of this page.`);
    return baserevid;
  }
  const at = c.p.timestamp('basetimestamp');
  if (at === undefined) return latest.page.latestId;
  // Timestamps are sent to the second: the base is the newest revision saved before the next second.
  const end = new Date(Date.parse(at) + 1000).toISOString();
  return stores.revisions.latestBefore(latest.page.id, end) ?? latest.page.latestId;
}
