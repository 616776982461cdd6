/** Reading pages: latest, old revisions (?oldid), redirects, raw source. */
import { sawPage } from '../../wiki/notifications.js';
import type { Request, Response } from 'express';
import type { RouteDeps } from '../deps.js';
import { optionalId, queryValue } from '../input.js';
import { pageContext, sendHtml } from '../views.js';
import { cacheFor, notModified } from '../freshness.js';
import { viewKey } from '../viewCache.js';
import { readFollowingRedirect, readLatest, readRevision, renderedHtml, requireLatest } from '../../wiki/pages.js';
import { RENDER_VERSION, imagePolicyKey } from '../../wiki/markdown.js';
import { authorsStored } from '../../wiki/blame.js';
import { NotFoundError } from '../../wiki/errors.js';
import type { Title } from '../../wiki/title.js';
import { missingPage, pageView } from '../../../views/page/view.js';
import { infoPage } from '../../../views/page/info.js';
import { pageExtras } from './find/pageExtras.js';

export function viewHandlers({ stores, config, workers, views }: RouteDeps) {
  async function view(req: Request, res: Response, title: Title): Promise<void> {
    // Reading your own user talk page ends "You have new messages", before the header is made.
    if (req.actor) sawPage(stores, req.actor, title);
    const oldid = optionalId('oldid', queryValue(req.query, 'oldid'));
    const printable = queryValue(req.query, 'printable') === 'yes';
    // Where a save lands (wikiEdit.ts): "Your edit was saved." for the one who saved, never shared.
    const saved = queryValue(req.query, 'saved') === '1' && oldid === undefined;
    const protection = (page: { id: number }) => stores.protection.get(page.id, new Date().toISOString());
    const follow = queryValue(req.query, 'redirect') !== 'no' && oldid === undefined;
    // Read before the page itself, for the byte cache: a change landing in between leaves the kept
    // copy's stamp older than its body, so the next request renders again (never the reverse).
    // The stamp epoch before that: a change after it moves it, so a kept copy is never taken as current past one.
    const keepable = viewKey(req) !== undefined;
    const epoch = keepable ? stores.pages.stampEpoch() : -1;
    const before = keepable ? stores.pages.stamp(title.text) : undefined;
    const latest = follow ? readFollowingRedirect(stores, title) : readLatest(stores, title);
    if (!latest) {
      if (oldid !== undefined) throw new NotFoundError(`There is no page "${title.text}", so it has no revision ${oldid}.`);
      const { members } = pageExtras(stores, req, title, undefined);
      // Creating the page purges this URL, so caches may keep the "no such page" answer too.
      cacheFor(req, res, 'page');
      sendHtml(res, missingPage(pageContext(req), title, members?.list.total ? members : undefined, deletedNote(title)), 404);
      return;
    }
    const { page } = latest;
    // A URL under a different spelling (lower-case first letter, underscores) shows the canonical title's page.
    const read = oldid !== undefined ? readRevision(stores, page, oldid) : latest;
    // The watch star and a category's members depend on more than the revision: they add to the ETag.
    const extras = pageExtras(stores, req, page.title, page.id);
    // The image policy is in it too: after WIKI_EXTERNAL_IMAGES changes, the same revision renders differently.
    // Until its authorship is derived (an older database, a save still deriving it), a page shows
    // without block authors: the ETag says so, and no byte copy of it is kept.
    const authors = oldid !== undefined || authorsStored(stores, read.revision.id);
    const locked = protection(page);
    const facts = `v${RENDER_VERSION}-p${page.id}-r${read.revision.id}-t${page.touched}-${latest.redirectedFrom?.key ?? ''}${extras.etag}-${imagePolicyKey(config.externalImages)}${authors ? '' : '-a0'}${printable ? '-print' : ''}${locked ? `-lock${locked.level}${locked.expiry ?? ''}` : ''}${saved ? '-saved' : ''}`;
    if (notModified(req, res, { facts, modified: read.revision.timestamp, kind: 'page' })) return;
    const old = oldid !== undefined
      ? {
          previousId: stores.revisions.previousId(page.id, read.revision.id),
          nextId: stores.revisions.nextId(page.id, read.revision.id),
          latestId: page.latestId,
        }
      : undefined;
    const body = pageView(pageContext(req), {
      title: page.title,
      revision: read.revision,
      bodyHtml: await renderedHtml(stores, workers, read, old ? 'old' : 'view', config.externalImages),
      redirectedFrom: latest.redirectedFrom,
      old,
      latest: latest.revision,
      watch: extras.watch,
      members: extras.members,
      printable,
      protection: locked,
      saved,
    });
    if (saved) res.set('Cache-Control', 'private, no-store');
    // A Category: page's stamp changes with its members (db/links.ts), so it is kept as bytes too.
    // A protected page is not kept as bytes: its lock (and its tabs) must go when the protection expires.
    if (before === undefined || old || extras.watch !== undefined || !authors || locked) return sendHtml(res, body);
    // The page shown (a redirect's target) must still be the one read: else keep nothing.
    const shown = stores.pages.stamp(page.title.text) === stores.pages.stampOf(page) ? stores.pages.stampOf(page) : undefined;
    if (latest.redirectedFrom) views.sendAndKeep(req, res, body, [title.text, page.title.text], [before, shown], epoch);
    else views.sendAndKeep(req, res, body, [title.text], [before === shown ? before : undefined], epoch);
  }

  function deletedNote(title: Title) {
    const d = stores.deletions.latest(title.text);
    return d && { at: d.deletedAt, reason: d.reason };
  }

  function raw(req: Request, res: Response, title: Title): void {
    const latest = requireLatest(stores, title);
    const oldid = optionalId('oldid', queryValue(req.query, 'oldid'));
    const read = oldid !== undefined ? readRevision(stores, latest.page, oldid) : latest;
    // The source of a revision never changes: its id is all the ETag needs.
    if (notModified(req, res, { facts: `r${read.revision.id}`, modified: read.revision.timestamp, kind: 'page' })) return;
    res.type('text/markdown; charset=utf-8').set('Content-Disposition', 'inline').send(read.source);
  }

  function info(req: Request, res: Response, title: Title): void {
    const latest = requireLatest(stores, title);
    const { page } = latest;
    const facts = stores.revisions.facts(page.id);
    sendHtml(res, infoPage(pageContext(req), {
      title: page.title,
      first: stores.revisions.byId(facts.firstId)!,
      latest: latest.revision,
      edits: facts.edits,
      editors: facts.editors,
      backlinks: stores.links.countLinkingTo(page.title.text),
      protection: stores.protection.get(page.id, new Date().toISOString()),
      isRedirect: page.isRedirect,
    }));
  }

  return { view, raw, info };
}
