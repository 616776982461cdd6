/** Section splitting for ?action=edit&section=K, on the heading lines the renderer itself finds (pure). */
import { InvalidInputError } from './errors.js';
import { headingLines, leadingHeadingText } from './markdown.js';

/**
 * Offset where each line starts, plus source.length at the end. Lines end at `\r\n`, `\r` or `\n`,
 * as markdown-it counts them, so heading line numbers index this directly.
 */
function lineOffsets(source: string): number[] {
  const offsets = [0];
  for (const m of source.matchAll(/\r\n?|\n/g)) offsets.push(m.index + m[0].length);
  offsets.push(source.length);
  return offsets;
}

/** [start, end) character offsets of section k, or undefined when there is no such section. */
function sectionSpan(source: string, k: number): [number, number] | undefined {
  if (!Number.isSafeInteger(k) || k < 0) return undefined;
  const headings = headingLines(source);
  const offsets = lineOffsets(source);
  const at = (line: number): number => offsets[line] ?? source.length;
  if (k === 0) return [0, headings[0] ? at(headings[0].line) : source.length];
  const heading = headings[k - 1];
  if (!heading) return undefined;
  // A section runs until the next heading of the same or a higher level: subsections belong to it.
  const next = headings.slice(k).find((h) => h.level <= heading.level);
  return [at(heading.line), next ? at(next.line) : source.length];
}

/** Number of headings (sections 1..N). */
export function sectionCount(source: string): number {
  return headingLines(source).length;
}

/**
 * Source text of section K (0 = text before first heading; K>=1 = the K-th heading line through the
 * line before the next heading of the same or higher level, so subsections are included, as MediaWiki does).
 * undefined when there is no such section.
 */
export function getSection(source: string, k: number): string | undefined {
  const span = sectionSpan(source, k);
  return span ? source.slice(span[0], span[1]) : undefined;
}

/**
 * Source with section K replaced by `text` (a newline is ensured between the replaced section and what follows).
 * replaceSection(s, k, getSection(s, k)!) === s for every existing k.
 * @throws InvalidInputError when section K does not exist.
 */
export function replaceSection(source: string, k: number, text: string): string {
  const span = sectionSpan(source, k);
  if (!span) throw new InvalidInputError(`section: there is no section ${k} on this page.`);
  const after = source.slice(span[1]);
  // Without a newline the next heading would be glued onto the last line of the new text and stop
  // being a heading; and a blank line that separated the section from the next one is kept, since
  // browsers and editors often drop trailing blank lines from a textarea.
  let glue = '';
  if (text !== '' && after !== '') {
    const hadBlank = /(\r\n?|\n)[ \t]*(\r\n?|\n)$/.test(source.slice(span[0], span[1]));
    const endsBlank = /(\r\n?|\n)[ \t]*(\r\n?|\n)$/.test(text);
    const endsLine = /[\r\n]$/.test(text);
    glue = (endsLine ? '' : '\n') + (hadBlank && !endsBlank ? '\n' : '');
  }
  return source.slice(0, span[0]) + text + glue + after;
}

/** Longest heading text a summary quotes: summaries are at most 500 characters in all. */
const SUMMARY_HEADING_MAX = 200;

/**
 * MediaWiki's automatic summary of a section edit, `/* Heading *\/`, from the section's own text
 * (its heading as edited); undefined for the lead section or text that does not start with a
 * heading. History and recent changes show it as a link to the section (views/partials/comment.ts).
 */
export function sectionSummary(sectionText: string): string | undefined {
  const heading = leadingHeadingText(sectionText.slice(0, 64 * 1024));
  if (heading === undefined) return undefined;
  const text = Array.from(heading.replace(/\*\//g, '* /')).slice(0, SUMMARY_HEADING_MAX).join('');
  return `/* ${text} */`;
}

/**
 * "Add topic" (SPEC section 11): the page's text with a new section at its end, `## subject` then
 * the text; the whole page when there is no page yet. One home for the form and the Action API.
 */
export function withNewTopic(latest: string | undefined, subject: string, text: string): string {
  const heading = subject.replace(/\s+/g, ' ').trim();
  const section = `${heading ? `## ${heading}\n\n` : ''}${text.replace(/\s+$/, '')}\n`;
  return latest ? `${latest.replace(/\s+$/, '')}\n\n${section}` : section;
}

/** The summary of a new topic saved without one, as MediaWiki writes it. */
export function newTopicSummary(subject: string): string {
  const heading = subject.replace(/\s+/g, ' ').trim();
  return heading ? `/* ${heading.replace(/\*\//g, '* /')} */ new section` : 'New section';
}
