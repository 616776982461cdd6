/** Editing pages in the browser: the form, live preview, and saving with conflict handling. */
import { newTopicSummary, withNewTopic } from '../../wiki/sections.js';
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { flag, formBody, optionalId, positiveId, queryValue, sectionParam, text, type Body } from '../input.js';
import { pageContext, sendHtml, sendText } from '../views.js';
import { orForm } from '../act.js';
import { readLatest, readRevision, renderSource, requireLatest } from '../../wiki/pages.js';
import { saveEditAsync } from '../../wiki/edit.js';
import { resolveConflict } from '../../wiki/conflict.js';
import { compareTextsOffThread } from '../../wiki/compare.js';
import { EditConflictError, InvalidInputError } from '../../wiki/errors.js';
import { getSection, replaceSection, sectionSummary } from '../../wiki/sections.js';
import { wikiPath, type Title } from '../../wiki/title.js';
import { changesFragment, editPage, sourcePage, type EditFormModel } from '../../../views/page/edit.js';
import { canWatch, setWatched } from '../../wiki/watchlist.js';
import type { Comparison } from '../../wiki/diff.js';

export function editHandlers(deps: RouteDeps) {
  const { stores, config, workers, act } = deps;

  /** GET ?action=edit (&section=K, &oldid=N to start from an old revision's text). */
  function form(req: Request, res: Response, title: Title): void {
    const latest = readLatest(stores, title);
    if (!req.can('edit', title)) {
      // An existing page's text may always be read: shown read-only, with why and what would help.
      if (!latest) req.can.require('edit', title);
      try {
        req.can.require('edit', title);
      } catch (e) {
        sendHtml(res, sourcePage(pageContext(req), { title: latest!.page.title, source: latest!.source, reason: (e as Error).message }));
        return;
      }
    }
    if (queryValue(req.query, 'section') === 'new') {
      sendHtml(res, editPage(pageContext(req), {
        title: latest?.page.title ?? title, exists: latest !== undefined, source: '', summary: '', minor: false,
        baseId: latest?.page.latestId, newTopic: { subject: '' }, watch: canWatch(req.actor) ? true : undefined,
      }));
      return;
    }
    const section = sectionParam(queryValue(req.query, 'section'));
    const oldid = optionalId('oldid', queryValue(req.query, 'oldid'));
    let source = latest ? latest.source : '';
    let summary = oldid !== undefined ? `Restored revision ${oldid}` : '';
    if (latest && oldid !== undefined) source = readRevision(stores, latest.page, oldid).source;
    if (latest && section !== undefined) {
      const part = getSection(source, section);
      if (part === undefined) throw new InvalidInputError(`"${title.text}" has no section ${section}; edit the whole page instead.`);
      source = part;
      // As MediaWiki: the summary starts with the section's name, and the editor adds to it.
      const named = section > 0 ? sectionSummary(part) : undefined;
      if (named) summary = `${named} `;
    }
    sendHtml(res, editPage(pageContext(req), {
      title: latest?.page.title ?? title,
      exists: latest !== undefined,
      source,
      summary,
      minor: false,
      // As MediaWiki by default: pages you create and edit go on your watchlist (untick to not).
      watch: canWatch(req.actor) ? true : undefined,
      // Editing an old revision's text starts from the latest: saving it restores the old text.
      baseId: latest?.page.latestId,
      section: latest ? section : undefined,
    }));
  }

  /**
   * POST ?action=preview: the rendered fragment for htmx. A preview writes nothing, so one refused
   * for its token is still shown (htmx swaps only a 2xx), with a word that saving needs a fresh form.
   */
  async function preview(req: Request, res: Response, title: Title): Promise<void> {
    const source = text('source', formBody(req).source);
    const rendered = await renderSource(stores, workers, source, title, config.externalImages);
    const warning = req.csrfRefused
      ? '<p class="form-error" role="alert">This form has expired (its security token is no longer valid), so saving it would be refused. Your text is safe: press Save or Preview and the wiki shows it again in a fresh form.</p>'
      : '';
    sendText(res.type('html'), warning + rendered);
  }

  /**
   * "Show changes": the text in the box (a section spliced into its base) against the revision it
   * was started from, or against nothing for a new page. Reads only.
   */
  async function changesOf(title: Title, body: Body): Promise<Comparison> {
    const source = text('source', body.source);
    const baseId = optionalId('base', body.base);
    const section = sectionParam(body.section);
    const base = baseId !== undefined ? readRevision(stores, requireLatest(stores, title).page, baseId).source : '';
    const mine = section !== undefined && baseId !== undefined ? replaceSection(base, section, source) : source;
    return compareTextsOffThread(workers, base, mine, {});
  }

  /** POST ?action=changes: "Show changes" for htmx, the diff fragment swapped in under the form. */
  async function changes(req: Request, res: Response, title: Title): Promise<void> {
    sendHtml(res, changesFragment(await changesOf(title, formBody(req))));
  }

  /** POST ?action=submit: save, or show the form again (preview, conflict, error) with the text kept. */
  async function submit(req: Request, res: Response, title: Title): Promise<void> {
    const body = formBody(req);
    if (req.csrfRefused) return formAgain(req, res, title, body, req.csrfRefused);
    if (body.section === 'new') return addTopic(req, res, title, body);
    if (body.do === 'resolve') {
      let resolved: EditFormModel | undefined;
      // Whatever went wrong, the editor's own text comes back to them.
      const mine = typeof body.mine === 'string' && body.mine.isWellFormed() ? body.mine : '';
      await orForm(res, 'all', async () => (resolved = await resolvedModel(title, body)), (e) =>
        editPage(pageContext(req), { title, exists: true, source: mine, summary: text('summary', body.summary), minor: flag(body.minor), baseId: readLatest(stores, title)?.page.latestId, error: e.message }));
      return resolved && save(req, res, resolved);
    }
    const model: EditFormModel = {
      title,
      exists: readLatest(stores, title) !== undefined,
      source: text('source', body.source, { required: true }),
      summary: text('summary', body.summary),
      minor: flag(body.minor),
      baseId: optionalId('base', body.base),
      section: sectionParam(body.section),
      watch: watchBox(req, body),
    };
    if (body.do === 'preview') {
      sendHtml(res, editPage(pageContext(req), { ...model, notice: changedSince(title, model.baseId), previewHtml: await renderSource(stores, workers, model.source, title, config.externalImages) }));
      return;
    }
    if (body.do === 'changes') {
      sendHtml(res, editPage(pageContext(req), { ...model, notice: changedSince(title, model.baseId), changes: await changesOf(title, body) }));
      return;
    }
    return save(req, res, model);
  }

  /**
   * "Add topic" (SPEC section 11): the subject becomes a `## ` heading and the text goes under it,
   * appended to the page as it is when saved (not as it was when the form opened, so two people
   * adding topics at once do not conflict). Preview and Show changes show the topic as it will read.
   */
  async function addTopic(req: Request, res: Response, title: Title, body: Body): Promise<void> {
    const subject = text('subject', body.subject).replace(/\s+/g, ' ').trim();
    const topic = text('source', body.source, { required: true });
    const latest = readLatest(stores, title);
    const section = withNewTopic(undefined, subject, topic);
    const whole = withNewTopic(latest?.source, subject, topic);
    const model: EditFormModel = {
      title, exists: latest !== undefined, source: topic, summary: text('summary', body.summary), minor: flag(body.minor),
      baseId: latest?.page.latestId, newTopic: { subject }, watch: watchBox(req, body),
    };
    if (body.do === 'preview') {
      sendHtml(res, editPage(pageContext(req), { ...model, previewHtml: await renderSource(stores, workers, section, title, config.externalImages) }));
      return;
    }
    if (body.do === 'changes') {
      sendHtml(res, editPage(pageContext(req), { ...model, changes: await compareTextsOffThread(workers, latest?.source ?? '', whole, {}) }));
      return;
    }
    const summary = model.summary || newTopicSummary(subject);
    return save(req, res, { ...model, source: whole, summary, newTopic: undefined });
  }

  /** The "Watch this page" box as sent: ticked or not when the form had it, ticked by default. */
  function watchBox(req: Request, body: Body): boolean | undefined {
    if (!canWatch(req.actor)) return undefined;
    return body.watch_shown === '1' ? flag(body.watch) : true;
  }

  /** At preview time: a word that someone saved the page since this form was opened (the save will merge). */
  function changedSince(title: Title, baseId: number | undefined): string | undefined {
    const latest = readLatest(stores, title);
    if (!latest || baseId === undefined || latest.page.latestId === baseId) return undefined;
    return `This page has changed since you started editing: someone saved revision ${latest.page.latestId}. When you save, your changes are merged with theirs; where they overlap, you will see both and choose.`;
  }

  /**
   * A post refused for its CSRF token (cleared cookies, a tab left open past a restart of the
   * secret): nothing is saved, and the form comes back with what was sent (the text, the summary,
   * the base, a conflict's resolved text, a preview) and a fresh token, saying what happened.
   * Only reads are done here: nothing the post asks for is trusted to write.
   */
  async function formAgain(req: Request, res: Response, title: Title, body: Body, refused: Error): Promise<void> {
    const exists = readLatest(stores, title) !== undefined;
    const kept = (name: string) => (typeof body[name] === 'string' && (body[name] as string).isWellFormed() ? (body[name] as string) : '');
    const id = (name: string) => (typeof body[name] === 'string' && /^[1-9][0-9]{0,15}$/.test(body[name] as string) ? Number(body[name]) : undefined);
    let model: EditFormModel = { title, exists, source: kept('source'), summary: kept('summary'), minor: flag(body.minor), baseId: id('base'), watch: watchBox(req, body), error: refused.message };
    if (body.do === 'resolve') {
      model = { ...model, source: kept('mine') };
      // The choices made on the conflict screen, applied again (a read): the merged text comes back.
      try {
        model = { ...(await resolvedModel(title, body)), error: refused.message };
      } catch {
        // The resolution itself cannot be made now: the editor's own text comes back.
      }
    } else {
      const section = body.section === undefined || body.section === '' ? undefined : Number(body.section);
      if (section !== undefined && Number.isSafeInteger(section) && section >= 0) model = { ...model, section };
      if (body.do === 'preview') model = { ...model, previewHtml: await renderSource(stores, workers, model.source, title, config.externalImages) };
    }
    sendHtml(res, editPage(pageContext(req), model), 403);
  }

  /**
   * The conflict screen's choices applied: the merge of the original base, the editor's text and
   * the then-current text is rebuilt here, so the form need not carry (or be trusted with) it.
   */
  async function resolvedModel(title: Title, body: Body): Promise<EditFormModel> {
    const currentId = positiveId('base', body.base);
    const source = await resolveConflict(stores, workers, {
      title,
      mine: text('mine', body.mine, { required: true }),
      currentId,
      baseId: optionalId('conflict_base', body.conflict_base),
      choose: (i) => {
        const choice = body[`choice-${i}`];
        if (choice === 'theirs') return 'theirs';
        if (choice === 'hand') return { hand: text(`hand-${i}`, body[`hand-${i}`]) };
        return 'mine';
      },
    });
    return { title, exists: true, source, summary: text('summary', body.summary), minor: flag(body.minor), baseId: currentId };
  }

  async function save(req: Request, res: Response, model: EditFormModel): Promise<void> {
    const { title } = model;
    const body = formBody(req);
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
    await orForm(res, 'all', async () => {
      const result = await act(req, res, { rights: ['edit'], page: title, save: true }, ({ actor, ip }) => saveEditAsync(stores, workers, {
        title,
        source: model.source,
        comment: model.summary,
        minor: model.minor,
        baseId: model.baseId ?? null,
        section: model.section,
        actor,
        ip: ip ?? null,
        mode: 'form',
        sign: true,
      }));
      // The box on the form: watch (or stop watching) the page, as MediaWiki does on save.
      if (model.watch !== undefined && body.watch_shown === '1') setWatched(stores, req.actor, result.page.title, model.watch);
      const anchor = result.anchor;
      res.redirect(303, `${wikiPath(result.page.title)}?saved=1${anchor ? `#${encodeURIComponent(anchor)}` : ''}`);
    }, async (e) => editPage(pageContext(req), e instanceof EditConflictError
      ? { ...model, ...(await conflictModel(e)) }
      // Keep what was typed: show the form again with the reason.
      : { ...model, error: e.message }));
  }

  async function conflictModel(e: EditConflictError): Promise<Partial<EditFormModel>> {
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
        regions: e.regions,
      },
    };
  }

  return { form, preview, changes, submit };
}
