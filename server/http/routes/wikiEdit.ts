/** Editing pages in the browser: the form, live preview, and saving with conflict handling. */
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, optionalId, positiveId, queryValue, text } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { setSessionCookie } from '../middleware/session.js';
import { readLatest, readRevision, renderSource } from '../../wiki/pages.js';
import { saveEditAsync } from '../../wiki/edit.js';
import { sectionAnchor } from '../../wiki/markdown.js';
import { compareTextsOffThread } from '../../wiki/compare.js';
import { EditConflictError, InvalidInputError, NotFoundError, RateLimitedError, WikiError } from '../../wiki/errors.js';
import { requireRight } from '../../wiki/guard.js';
import { resolveRegions } from '../../wiki/merge.js';
import { getSection } from '../../wiki/sections.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import { editPage, type EditFormModel } from '../../../views/page/edit.js';

function sectionParam(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) throw new InvalidInputError('section must be a whole number (0 for the text before the first heading).');
  return Number(value);
}

export function editHandlers(deps: RouteDeps) {
  const { stores, config, tokens, limits, workers } = deps;

  function requireEditRight(req: Request, title: Title): void {
    requireRight(stores, config.anonEdits, { actor: req.actor, ip: req.ip }, 'edit', title);
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
  async function preview(req: Request, res: Response, title: Title): Promise<void> {
    const body = req.body as Record<string, unknown>;
    const source = text('source', body.source);
    const rendered = await renderSource(stores, workers, source, title, config.externalImages);
    res.type('html').send(rendered);
  }

  /** POST ?action=submit: save, or show the form again (preview, conflict, error) with the text kept. */
  async function submit(req: Request, res: Response, title: Title): Promise<void> {
    const body = req.body as Record<string, unknown>;
    if (body.do === 'resolve') {
      let resolved: EditFormModel;
      try {
        resolved = await resolvedModel(title, body);
      } catch (e) {
        if (!(e instanceof WikiError) || e.code === 'bad_csrf') throw e;
        // Whatever went wrong, the editor's own text comes back to them.
        const mine = typeof body.mine === 'string' && body.mine.isWellFormed() ? body.mine : '';
        sendHtml(res, editPage(pageContext(req), { title, exists: true, source: mine, summary: text('summary', body.summary), minor: flag(body.minor), baseId: readLatest(stores, title)?.page.latestId, error: e.message }), e.status);
        return;
      }
      return save(req, res, resolved);
    }
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
      sendHtml(res, editPage(pageContext(req), { ...model, previewHtml: await renderSource(stores, workers, model.source, title, config.externalImages) }));
      return;
    }
    return save(req, res, model);
  }

  /**
   * The conflict screen's choices applied: the merge of the original base, the editor's text and
   * the then-current text is rebuilt here, so the form need not carry (or be trusted with) it.
   */
  async function resolvedModel(title: Title, body: Record<string, unknown>): Promise<EditFormModel> {
    const mine = text('mine', body.mine, { required: true });
    const currentId = positiveId('base', body.base);
    const page = readLatest(stores, title)?.page;
    if (!page) throw new NotFoundError(`There is no page "${title.text}" any more; copy your text and create it again.`);
    const current = readRevision(stores, page, currentId).source;
    const baseId = optionalId('conflict_base', body.conflict_base);
    const baseText = baseId !== undefined ? readRevision(stores, page, baseId).source : '';
    const merged = await workers.run('merge', { base: baseText, mine, theirs: current }, baseText.length + mine.length + current.length);
    const source = merged.clean
      ? merged.text
      : resolveRegions(merged.regions, (i) => {
          const choice = body[`choice-${i}`];
          if (choice === 'theirs') return { lines: null, side: 'theirs' };
          if (choice === 'hand') return { lines: text(`hand-${i}`, body[`hand-${i}`]).replace(/\r\n?/g, '\n').split('\n'), side: 'mine' };
          return { lines: null, side: 'mine' };
        });
    return { title, exists: true, source, summary: text('summary', body.summary), minor: flag(body.minor), baseId: currentId };
  }

  async function save(req: Request, res: Response, model: EditFormModel): Promise<void> {
    const { title } = model;
    const body = req.body as Record<string, unknown>;
    // The form names the account it was opened by: if that session has ended (or another account
    // logged in meanwhile), saving would credit the words to someone else. Ask first, keep the text.
    if (typeof body.user === 'string' && body.user !== '' && body.user !== String(req.actor?.id ?? '')) {
      sendHtml(res, editPage(pageContext(req), {
        ...model,
        error: req.actor
          ? `You are now logged in as ${req.actor.name}, not as the account that opened this form. Save again to save as ${req.actor.name}.`
          : 'You were logged out since you opened this form. Log in again (in another tab, to keep your text here), then save; or save again to save without an account.',
      }), 409);
      return;
    }
    try {
      requireEditRight(req, title);
      limits.save(req.actor, req.ip);
      const result = await saveEditAsync(stores, workers, {
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
      const anchor = model.section ? sectionAnchor(result.text, model.section) : undefined;
      res.redirect(303, wikiPath(result.page.title) + (anchor ? `#${encodeURIComponent(anchor)}` : ''));
    } catch (e) {
      if (e instanceof EditConflictError) {
        sendHtml(res, editPage(pageContext(req), { ...model, ...(await conflictModel(title, e)) }), 409);
        return;
      }
      if (e instanceof WikiError && e.status < 500 && e.code !== 'bad_csrf') {
        // Keep what was typed: show the form again with the reason.
        if (e instanceof RateLimitedError) res.set('Retry-After', String(e.retryAfter));
        sendHtml(res, editPage(pageContext(req), { ...model, error: e.message }), e.status);
        return;
      }
      throw e;
    }
  }

  async function conflictModel(title: Title, e: EditConflictError): Promise<Partial<EditFormModel>> {
    const page = readLatest(stores, title)!.page;
    const baseText = e.baseId !== null ? readRevision(stores, page, e.baseId).source : '';
    const merged = await workers.run('merge', { base: baseText, mine: e.mine, theirs: e.current.source }, baseText.length + e.mine.length + e.current.source.length);
    return {
      source: e.mine,
      section: undefined,
      baseId: e.current.id,
      exists: true,
      conflict: {
        currentId: e.current.id,
        currentSource: e.current.source,
        comparison: await compareTextsOffThread(workers, e.current.source, e.mine, { context: 'all' }),
        baseId: e.baseId,
        regions: merged.clean ? [] : merged.regions,
      },
    };
  }

  return { form, preview, submit };
}
