/** Atom feeds of recent changes and of one account's contributions. */
import { atomFeed } from './atom.js';
import { wikiPath } from '../../server/wiki/title.js';
import type { Change } from '../../server/wiki/changes.js';

function summary(c: Change): string {
  const r = c.revision;
  const delta = r.size - r.parentSize;
  const facts = [`${delta > 0 ? '+' : ''}${delta} bytes`, ...(r.minor ? ['minor'] : []), ...(r.tags.length ? [`tags: ${r.tags.join(', ')}`] : [])];
  return `${r.comment || 'No edit summary'} (${facts.join('; ')})`;
}

/** @param base the wiki's absolute public URL; @param self the feed's own path and query. */
export function changesFeed(base: string, o: { title: string; self: string; alternate: string; changes: Change[] }): string {
  return atomFeed({
    id: base + o.alternate,
    title: `${o.title} — Peerwiki`,
    selfUrl: base + o.self,
    alternateUrl: base + o.alternate,
    updated: o.changes[0]?.revision.timestamp,
    entries: o.changes.map((c) => {
      const page = base + wikiPath(c.page.title);
      const r = c.revision;
      return {
        id: `${page}?oldid=${r.id}`,
        title: `${c.page.title.text}${r.comment ? `: ${r.comment}` : ''}`,
        updated: r.timestamp,
        author: { name: r.actor.name, uri: `${base}/special/contributions/${encodeURIComponent(r.actor.name)}` },
        link: r.parentId !== null ? `${page}?diff=${r.id}&oldid=${r.parentId}` : `${page}?oldid=${r.id}`,
        summary: summary(c),
        categories: r.tags,
      };
    }),
  });
}
