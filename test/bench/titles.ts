/** Unique page titles for the generated wiki (articles, some categories and talk pages) and red-link targets. */
import { parseTitle, type Title } from '../../server/wiki/title.js';
import { Random } from './random.js';
import { CATEGORY_NAMES, titleCandidate } from './words.js';

const TALK_SHARE = 0.03;

/** `count` distinct page titles in creation order, and about count / 5 titles that no page has. */
export function makeTitles(rng: Random, words: readonly string[], count: number): { pages: Title[]; red: Title[] } {
  const taken = new Set<string>();
  const unique = (make: () => string): Title => {
    for (let attempt = 0; ; attempt++) {
      const raw = make();
      const title = parseTitle(attempt < 8 ? raw : `${raw} ${rng.int(2, 1_000_000)}`);
      if (!taken.has(title.text)) {
        taken.add(title.text);
        return title;
      }
    }
  };
  const pages: Title[] = [];
  // Category pages come early (they exist before most pages name them), about one in twenty pages.
  const categories = CATEGORY_NAMES.slice(0, Math.floor(count / 20));
  for (let i = 0; pages.length < count; i++) {
    if (i % 10 === 5 && categories.length > 0) pages.push(unique(() => `Category:${categories.shift()!}`));
    else if (pages.length > 10 && rng.chance(TALK_SHARE)) pages.push(unique(() => `Talk:${rng.pick(pages).name}`));
    else pages.push(unique(() => titleCandidate(rng, words)));
  }
  const red: Title[] = [];
  for (let i = Math.max(5, Math.floor(count / 5)); i > 0; i--) red.push(unique(() => titleCandidate(rng, words)));
  return { pages, red };
}
