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
import { inheritRuns, type AuthorRuns, type RecallSource } from '../authorship.js';
import { deflateRawSync } from 'node:zlib';

/**
 * Who wrote which lines: runs of [revision id, line count], as stored (db/blame.ts), from the first
 * line on, and those revisions' author names. Runs, not a line each: a long page written by few
 * hands is a few numbers to send to the text process, not hundreds of thousands.
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

/** A render whose HTML goes out as bytes, and is kept deflated when long: what the text process returns. */
export interface BytesJob extends RenderJob {
  /** Deflate the HTML too (zlib raw, at `level`) when it is `from` bytes or longer. */
  pack?: { from: number; level: number };
}

/**
 * The HTML as UTF-8 bytes, and deflated when asked: the thread encodes and deflates, so the event
 * loop receives megabytes as a moved buffer and never copies or encodes them (a 6 MB string took
 * it 35 ms to encode, 35 more to encode again for the render cache).
 */
export interface RenderedBytes {
  html: Uint8Array;
  packed?: Uint8Array;
}

function renderBytesJob(job: BytesJob): RenderedBytes {
  const html = Buffer.from(renderJob(job), 'utf8');
  const packed = job.pack && html.length >= job.pack.from ? deflateRawSync(html, { level: job.pack.level }) : undefined;
  return { html, packed };
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
  renderBytes: (job: BytesJob): RenderedBytes => renderBytesJob(job),
  targets: (source: string): string[] => targetsJob(source),
  analyze: (source: string) => analyzeForIndex(source),
  compare: (job: { oldText: string | null; newText: string | null; options: CompareOptions }): Comparison => compareTexts(job.oldText, job.newText, job.options),
  merge: (job: { base: string; mine: string; theirs: string }): MergeResult => merge3(job.base, job.mine, job.theirs),
  saveFacts: (job: { oldText: string | null; text: string; linkChange?: boolean }) => saveFacts(job),
  inheritAuthors: (job: { parentText: string; parentRuns: AuthorRuns; childText: string; childId: number; recall: RecallSource[] }): AuthorRuns =>
    inheritRuns(job.parentText, job.parentRuns, job.childText, job.childId, job.recall),
};

export type JobName = keyof typeof JOBS;
export type JobInput<N extends JobName> = Parameters<(typeof JOBS)[N]>[0];
export type JobOutput<N extends JobName> = ReturnType<(typeof JOBS)[N]>;
