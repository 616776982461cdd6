/** What a save stores beside its text, worked out from the texts alone (pure, so it may run on a worker thread). */
import { analyzeForIndex } from './markdown.js';
import { textTags } from './tags.js';
import { textSignals, type TextSignals } from './risk.js';

export interface SaveFacts {
  /** Links, categories, redirect and the search index's plain text. */
  analysis: ReturnType<typeof analyzeForIndex>;
  /** The tags that follow from the texts (tags.ts); tags about the author are added at commit. */
  tags: string[];
  signals: TextSignals;
}

/** The facts of `text` replacing `oldText` (null for a new page). */
export function saveFacts(o: { oldText: string | null; text: string }): SaveFacts {
  return { analysis: analyzeForIndex(o.text), tags: textTags({ oldText: o.oldText, newText: o.text }), signals: textSignals(o.oldText, o.text) };
}
