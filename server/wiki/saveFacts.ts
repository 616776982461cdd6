/** What a save stores beside its text, worked out from the texts alone (pure, so it may run in the text process). */
import { analyze, analyzeEdit, type analyzeForIndex } from './markdown.js';
import { changeBetween, rowCounts, type LinkChange } from '../db/links.js';
import { packText, type PackedText } from '../db/content.js';
import { textTags } from './tags.js';
import { textSignals, type TextSignals } from './risk.js';

export interface SaveFacts {
  /** Links, categories, redirect and the search index's plain text. */
  analysis: ReturnType<typeof analyzeForIndex>;
  /** The tags that follow from the texts (tags.ts); tags about the author are added at commit. */
  tags: string[];
  signals: TextSignals;
  /**
   * The link and category rows to change, from the old text's targets to the new one's, and how
   * many rows the old text's targets make: when the page's rows count that, they are the old
   * text's, and the change can be written without reading them (wiki/links.ts). Worked out only
   * when asked (`linkChange`): for big texts, on a worker; a small page's rows are cheaper read
   * than its old text parsed again.
   */
  links?: { change: LinkChange; from: { links: number; categories: number } };
  /** The text hashed and compressed as the content store keeps it, so the write transaction only writes. */
  packed: PackedText;
}

/** The facts of `text` replacing `oldText` (null for a new page). */
export function saveFacts(o: { oldText: string | null; text: string; linkChange?: boolean }): SaveFacts {
  const analysis = analyzeEdit(o.oldText, o.text);
  const facts: SaveFacts = { analysis, tags: textTags({ oldText: o.oldText, newText: o.text }), signals: textSignals(o.oldText, o.text), packed: packText(o.text) };
  if (!o.linkChange) return facts;
  const old = o.oldText === null ? { links: [], categories: [] } : analyze(o.oldText);
  return { ...facts, links: { change: changeBetween(old, analysis), from: rowCounts(old) } };
}
