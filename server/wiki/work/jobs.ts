/**
 * The jobs TextWorkers may run off the main thread: pure functions of plain data (what a worker
 * message can carry), each bounded in its input's size. One table, read by the pool (inline runs)
 * and the worker (threaded runs), so both run exactly the same code.
 */
import { compareTexts, type CompareOptions, type Comparison } from '../diff.js';
import { merge3, type MergeResult } from '../merge.js';
import { analyze, analyzeForIndex, render } from '../markdown.js';
import { storedTitle } from '../title.js';
import { saveFacts } from '../saveFacts.js';
import { inheritAuthors, recallMap, type RecallSource } from '../authorship.js';

/**
 * Who wrote which lines: runs of [revision id, line count], as stored (db/blame.ts), from the first
 * line on, and those revisions' author names. Runs, not a line each: a long page written by few
 * hands is a few numbers to send to a text thread, not hundreds of thousands.
 */
export interface LineAuthors {
  runs: number[];
  names: Array<[number, string]>;
}

export interface RenderJob {
  source: string;
  /** Title.text of the source's link and category targets that exist (red links for the rest). */
  existing: string[];
  /** The page's title text (a stored, valid title), for section edit links. */
  title?: string;
  sectionEditLinks?: boolean;
  /** Block authors shown on hover (page views of the latest revision). */
  authors?: LineAuthors;
  /** WIKI_EXTERNAL_IMAGES. */
  imageHosts?: readonly string[];
}

/** "Written by Alice (revision 12)" for a block's lines; other writers named by share of lines. */
export function blockAuthorLabel(authors: LineAuthors): (from: number, to: number) => string | undefined {
  const names = new Map(authors.names);
  const nameOf = (id: number) => names.get(id) ?? '?';
  const lines: number[] = [];
  for (let i = 0; i + 1 < authors.runs.length; i += 2) for (let n = 0; n < authors.runs[i + 1]!; n++) lines.push(authors.runs[i]!);
  return (from, to) => {
    const counts = new Map<number, number>();
    for (let i = from; i < to && i < lines.length; i++) counts.set(lines[i]!, (counts.get(lines[i]!) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
    if (ranked.length === 0) return undefined;
    const [firstId] = ranked[0]!;
    const others = [...new Set(ranked.slice(1).map(([id]) => nameOf(id)))].filter((n) => n !== nameOf(firstId));
    return `Written by ${nameOf(firstId)} (revision ${firstId})${others.length ? `, with edits by ${others.slice(0, 3).join(', ')}` : ''}`;
  };
}

function renderJob(job: RenderJob): string {
  const existing = new Set(job.existing);
  return render(job.source, {
    existing: () => existing,
    title: job.title === undefined ? undefined : storedTitle(job.title),
    sectionEditLinks: job.sectionEditLinks,
    blockAuthors: job.authors ? blockAuthorLabel(job.authors) : undefined,
    imageHosts: job.imageHosts,
  }).html;
}

/** Link and category targets of a source: what a render must look up before it can run. */
function targetsJob(source: string): string[] {
  const a = analyze(source);
  return [...new Set([...a.links, ...a.categories.map((c) => `Category:${c}`)])];
}

export const JOBS = {
  render: (job: RenderJob): string => renderJob(job),
  targets: (source: string): string[] => targetsJob(source),
  analyze: (source: string) => analyzeForIndex(source),
  compare: (job: { oldText: string | null; newText: string | null; options: CompareOptions }): Comparison => compareTexts(job.oldText, job.newText, job.options),
  merge: (job: { base: string; mine: string; theirs: string }): MergeResult => merge3(job.base, job.mine, job.theirs),
  saveFacts: (job: { oldText: string | null; text: string; linkChange?: boolean }) => saveFacts(job),
  inheritAuthors: (job: { parentText: string; parentAuthors: number[]; childText: string; childId: number; recall: RecallSource[] }): number[] =>
    inheritAuthors(job.parentText.split('\n'), job.parentAuthors, job.childText.split('\n'), job.childId, recallMap(job.recall)),
};

export type JobName = keyof typeof JOBS;
export type JobInput<N extends JobName> = Parameters<(typeof JOBS)[N]>[0];
export type JobOutput<N extends JobName> = ReturnType<(typeof JOBS)[N]>;
