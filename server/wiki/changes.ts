/** Recent changes: revisions of all pages with their pages, filtered (read side). */
import type { Stores } from '../db/stores.js';
import type { ChangeFilter } from '../db/revisions.js';
import type { Page, Revision } from './types.js';

export interface Change {
  revision: Revision;
  page: Page;
}

export function recentChanges(stores: Stores, filter: ChangeFilter): Change[] {
  return stores.read(() => {
    const pages = new Map<number, Page | undefined>();
    const out: Change[] = [];
    for (const revision of stores.revisions.recent(filter)) {
      if (!pages.has(revision.pageId)) pages.set(revision.pageId, stores.pages.byId(revision.pageId));
      const page = pages.get(revision.pageId);
      if (page) out.push({ revision, page });
    }
    return out;
  });
}
