/** Editing pages in the browser: the form, live preview, and saving with conflict handling. */
import type { Request, Response } from 'express';
import type { AppDeps } from '../deps.js';
import { flag, optionalId, queryValue, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { setSessionCookie } from '../middleware/session.js';
import { readLatest, readRevision, renderSource } from '../../wiki/pages.js';
import { saveEdit } from '../../wiki/edit.js';
import { compareTexts } from '../../wiki/diff.js';
import { EditConflictError, InvalidInputError, WikiError } from '../../wiki/errors.js';
import { getSection } from '../../wiki/sections.js';
import { can } from '../../wiki/rights.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import { editPage, type EditFormModel } from '../../../views/page/edit.js';

function sectionParam(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) throw new InvalidInputError('section must be a whole number (0 for the text before the first heading).');
  return Number(value);
}

export function editHandlers(deps: AppDeps) {
  const { stores, config, tokens } = deps;

  function requireEditRight(req: Request, title: Title): void {
    if (!can(req.actor, 'edit', config)) {
      throw new WikiError('unauthorized', `Log in to edit "${title.text}": editing without an account is turned off on this wiki.`);
    }
  }

  /** GET ?action=edit (&section=K, &oldid=N to start from an old revision's text). */
  function form(req: Request, res: Response, title: Title): void {
    requireEditRight(req, title);
    const latest = readLatest(stores, title);
    const section = sectionParam(queryValue(req.query, 'section'));
    const oldid = optionalId('oldid', queryValue(req.query, 'oldid'));
    let source = latest ? latest.source : '';
    if (latest && oldid !== undefined) source = readRevision(stores, latest.page, oldid).source;
    if (latest && section !== undefined) {
      const part = getSection(source, section);
      if (part === undefined) throw new InvalidInputError(`"${title.text}" has no section ${section}; edit the whole page instead.`);
      source = part;
    }
    sendHtml(res, editPage(pageContext(req), {
      title: latest?.page.title ?? title,
      exists: latest !== undefined,
      source,
      summary: oldid !== undefined ? `Restored revision ${oldid}` : '',
      minor: false,
      // Editing an old revision's text starts from the latest: saving it restores the old text.
      baseId: latest?.page.latestId,
      section: latest ? section : undefined,
    }));
  }

  /** POST ?action=preview: the rendered fragment for htmx. */
  function preview(req: Request, res: Response, title: Title): void {
    const body = req.body as Record<string, unknown>;
    const source = text('source', body.source);
    const rendered = renderSource(stores, source, title);
    res.type('html').send(rendered);
  }

  /** POST ?action=submit: save, or show the form again (preview, conflict, error) with the text kept. */
  function submit(req: Request, res: Response, title: Title): void {
    const body = req.body as Record<string, unknown>;
    const model: EditFormModel = {
      title,
      exists: readLatest(stores, title) !== undefined,
      source: text('source', body.source, { required: true }),
      summary: text('summary', body.summary),
      minor: flag(body.minor),
      baseId: optionalId('base', body.base),
      section: sectionParam(body.section),
    };
    if (body.do === 'preview') {
      sendHtml(res, editPage(pageContext(req), { ...model, previewHtml: renderSource(stores, model.source, title) }));
      return;
    }
    if (!can(req.actor, 'edit', config)) {
      sendHtml(res, editPage(pageContext(req), { ...model, error: 'Editing without an account is turned off on this wiki. Log in (in another tab, to keep your text here), then save again.' }), 401);
      return;
    }
    try {
      const result = saveEdit(stores, {
        title,
        source: model.source,
        comment: model.summary,
        minor: model.minor,
        baseId: model.baseId ?? null,
        section: model.section,
        actor: req.actor ?? 'temporary',
        ip: req.ip ?? null,
        mode: 'form',
      });
      if (!req.actor && result.actor) setSessionCookie(res, req, tokens, result.actor, config.secureCookies);
      res.redirect(303, wikiPath(result.page.title));
    } catch (e) {
      if (e instanceof EditConflictError) {
        sendHtml(res, editPage(pageContext(req), {
          ...model,
          source: e.mine,
          section: undefined,
          baseId: e.current.id,
          exists: true,
          conflict: { currentId: e.current.id, currentSource: e.current.source, comparison: compareTexts(e.current.source, e.mine, { context: 'all' }) },
        }), 409);
        return;
      }
      if (e instanceof WikiError && e.status < 500 && e.code !== 'bad_csrf') {
        // Keep what was typed: show the form again with the reason.
        sendHtml(res, editPage(pageContext(req), { ...model, error: e.message }), e.status);
        return;
      }
      throw e;
    }
  }

  return { form, preview, submit };
}
