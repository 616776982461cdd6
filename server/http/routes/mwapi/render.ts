/** action=parse and action=compare: the wiki's own renderer and diff, in MediaWiki's answers. */
import { ApiError } from './errors.js';
import { namespaceOf, titleIn, type ApiModule } from './context.js';
import { readLatest, readRevision, renderedHtml, renderSource } from '../../../wiki/pages.js';
import { compareRevisions } from '../../../wiki/compare.js';
import { analyze } from '../../../wiki/markdown.js';
import { parseTitle, tryParseTitle, type Title } from '../../../wiki/title.js';
import { NotFoundError } from '../../../wiki/errors.js';
import { diffTable } from '../../../../views/page/diff.js';

const asText = (html: string | Buffer) => (typeof html === 'string' ? html : html.toString('utf8'));

/** page=, pageid= or oldid= renders a stored revision; text= (with title=) renders any Markdown. */
export const parseModule: ApiModule = async (c) => {
  const { p, deps } = c;
  const { stores, workers, config } = deps;
  const props = new Set(p.list('prop').length ? p.list('prop') : ['text', 'categories', 'links', 'displaytitle', 'revid']);
  for (const ignored of ['contentmodel', 'contentformat', 'disablelimitreport', 'disableeditsection', 'wrapoutputclass', 'pst', 'preview', 'sectionpreview', 'disabletoc', 'useskin', 'mobileformat', 'redirects', 'section']) p.str(ignored);
  let title: Title;
  let source: string;
  let html: string;
  let revid: number | undefined;
  let pageid: number | undefined;
  const text = p.str('text');
  if (text !== undefined) {
    title = titleIn(c, 'title') ?? parseTitle('API');
    source = text;
    html = asText(await renderSource(stores, workers, text, title, config.externalImages));
  } else {
    const oldid = p.id('oldid');
    const pageId = p.id('pageid');
    let read;
    if (oldid !== undefined) {
      const rev = stores.revisions.byId(oldid);
      const page = rev && stores.pages.byId(rev.pageId);
      if (!rev || !page || page.title.text.startsWith('#')) throw new ApiError('nosuchrevid', `There is no revision with ID ${oldid}.`);
      read = readRevision(stores, page, oldid);
    } else {
      const page = pageId !== undefined ? stores.pages.byId(pageId) : undefined;
      const t = page?.title ?? titleIn(c, 'page');
      if (!t) throw new ApiError('missingparam', 'One of the parameters "text", "page", "pageid" and "oldid" is required.');
      read = readLatest(stores, t);
      if (!read) throw new ApiError('missingtitle', "The page you specified doesn't exist.");
    }
    title = read.page.title;
    source = read.source;
    html = asText(await renderedHtml(stores, workers, read, oldid !== undefined ? 'old' : 'view', config.externalImages));
    revid = read.revision.id;
    pageid = read.page.id;
  }
  const facts = analyze(source);
  const wrap = (v: string) => (c.fv === 1 ? { '*': v } : v);
  const out: Record<string, unknown> = { title: title.text, pageid: pageid ?? 0, ...(revid !== undefined && props.has('revid') ? { revid } : {}) };
  if (props.has('text')) out.text = wrap(html);
  if (props.has('displaytitle')) out.displaytitle = title.text;
  if (props.has('categories')) out.categories = facts.categories.map((name) => (c.fv === 1 ? { sortkey: '', '*': name.replace(/ /g, '_') } : { sortkey: '', category: name.replace(/ /g, '_') }));
  if (props.has('links')) {
    out.links = facts.links.flatMap((t) => {
      const linked = tryParseTitle(t);
      if (!linked) return [];
      const exists = stores.pages.byTitle(linked) !== undefined;
      return [c.fv === 1 ? { ns: namespaceOf(linked), ...(exists ? { exists: '' } : {}), '*': linked.text } : { ns: namespaceOf(linked), exists, title: linked.text }];
    });
  }
  if (props.has('wikitext')) out.wikitext = wrap(source);
  return { parse: out };
};

/** fromrev/torev (or fromtitle/totitle: their latest revisions, one page): the wiki's word-level diff as HTML table rows. */
export const compareModule: ApiModule = async (c) => {
  const { p, deps } = c;
  const { stores, workers } = deps;
  p.list('prop');
  p.str('difftype');
  const revOf = (idName: string, titleName: string): number | undefined => {
    const id = p.id(idName);
    if (id !== undefined) return id;
    const t = titleIn(c, titleName);
    if (!t) return undefined;
    const page = stores.pages.byTitle(t);
    if (!page) throw new ApiError('missingtitle', `The page "${t.text}" doesn't exist.`);
    return page.latestId;
  };
  const from = revOf('fromrev', 'fromtitle') ?? revOf('fromid', 'fromtitle');
  const to = revOf('torev', 'totitle');
  if (to === undefined) throw new ApiError('missingparam', 'One of the parameters "torev" and "totitle" is required.');
  let result;
  try {
    result = await compareRevisions(stores, workers, from, to);
  } catch (e) {
    if (e instanceof NotFoundError) throw new ApiError('nosuchrevid', e.message);
    throw e;
  }
  const page = stores.pages.byId(result.newer.pageId)!;
  const body = diffTable(result.comparison).value;
  return {
    compare: {
      ...(result.older ? { fromid: page.id, fromrevid: result.older.id, fromns: namespaceOf(page.title), fromtitle: page.title.text } : {}),
      toid: page.id, torevid: result.newer.id, tons: namespaceOf(page.title), totitle: page.title.text,
      ...(c.fv === 1 ? { '*': body } : { body }),
    },
  };
};
