/**
 * A page and its talk page show a tab to each other, a red link while the other is missing: when
 * one is created or deleted (or moved), the other's kept copies are stale. This touches it, from
 * the change feed, after the commit, as link colours are (db/stores.ts).
 */
import type { Stores } from '../db/stores.js';
import { subjectTitleOf, talkTitleOf, type Title } from './title.js';

/** The other page of a title's subject/talk pair; undefined when it has none (a title too long for a talk page). */
export function pairOf(title: Title): Title | undefined {
  const subject = subjectTitleOf(title);
  return subject.text !== title.text ? subject : talkTitleOf(title);
}

/** Subscribe the touching of pairs to the feed (once per set of stores, at start-up). */
export function touchPairsOnChange(stores: Stores): void {
  stores.feed.subscribe((event) => {
    const pairs = event.linkColours.map(pairOf).filter((t): t is Title => t !== undefined);
    if (pairs.length === 0) return;
    stores.transaction(() => {
      for (const pair of pairs) stores.pages.touchTitle(pair.text);
    });
  });
}
