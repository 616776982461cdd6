/** The Atom feed of one page's history: one entry per revision, each linking to its diff. */
import { atomFeed } from './atom.js';
import { wikiPath, type Title } from '../../server/wiki/title.js';
import type { Revision } from '../../server/wiki/types.js';

function change(r: Revision): string {
  const delta = r.size - r.parentSize;
  const bytes = `${delta > 0 ? '+' : ''}${delta} bytes`;
  const facts = [bytes, ...(r.minor ? ['minor'] : []), ...(r.tags.length ? [`tags: ${r.tags.join(', ')}`] : [])];
  return `${r.comment || 'No edit summary'} (${facts.join(', ')})`;
}

/** @param base the wiki's absolute public URL, without a trailing slash. */
export function pageHistoryFeed(base: string, title: Title, revisions: Revision[]): string {
  const page = base + wikiPath(title);
  return atomFeed({
    id: `${page}?action=history`,
    title: `${title.text} — revision history — Peerwiki`,
    subtitle: `Every edit of "${title.text}", newest first.`,
    selfUrl: `${page}?action=history&format=atom`,
    alternateUrl: `${page}?action=history`,
    entries: revisions.map((r) => ({
      id: `${page}?oldid=${r.id}`,
      title: r.comment ? `${title.text}: ${r.comment}` : `${title.text}: revision ${r.id}`,
      updated: r.timestamp,
      author: { name: r.actor.name, uri: `${base}/special/contributions/${encodeURIComponent(r.actor.name)}` },
      link: r.parentId !== null ? `${page}?diff=${r.id}&oldid=${r.parentId}` : `${page}?oldid=${r.id}`,
      summary: change(r),
      categories: r.tags,
    })),
  });
}
