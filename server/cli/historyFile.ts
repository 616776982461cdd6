/**
 * history.json, written by `wiki export` and read by `wiki import`: one JSON document that is also
 * line-oriented, so both sides stream it instead of holding every text at once.
 *
 *   {"format":"peerwiki-export","version":1,"exportedAt":"…","pageCount":2,"revisionCount":3,"pages":[
 *   {"title":"Peer networks","file":"Peer_networks.md","revisions":2},
 *   …
 *   ],"revisions":[
 *   {"page":"Peer networks","id":1,"parent":null,"author":"Alice","authorKind":"user",…,"source":"…"},
 *   …
 *   ],"site":[
 *   {"kind":"account","name":"Alice","accountKind":"user","role":"admin","createdAt":"…"},
 *   {"kind":"protection",…}, {"kind":"block",…}, {"kind":"log",…}, {"kind":"watch",…}
 *   ]}
 *
 * The "site" section (version 2) holds what a wiki needs to move besides its pages: accounts with
 * roles (password hashes only when asked for), protections, blocks, the public log and watchlists
 * (db/siteDump.ts). A version 1 file has none and is still read.
 *
 * Revisions come grouped by page, oldest first. A file reformatted by another tool (pretty-printed)
 * is still read, whole, when it is small enough.
 */
import { closeSync, openSync, readFileSync, readSync, renameSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { SiteRecord } from '../db/siteDump.js';
import type { ActorKind } from '../wiki/types.js';
import { CliError } from './io.js';
import { BufferedFile } from './bufferedFile.js';

export const HISTORY_FILE = 'history.json';
export const FORMAT = 'peerwiki-export';
export const VERSION = 2;

export interface HistoryHeader {
  format: string;
  version: number;
  exportedAt: string;
  pageCount: number;
  revisionCount: number;
  /** Records of the "site" section (0 in a version 1 file). */
  siteCount: number;
}

export interface HistoryPage {
  title: string;
  /** The page's .md file in the export folder (see fileNames.ts); "" for a deleted page. */
  file: string;
  revisions: number;
  /** Set for a deleted page: its revisions name it by `key`, as its title may be in use again. */
  deleted?: DeletedPageInfo;
}

export interface DeletedPageInfo {
  /** Unique in the file, starting with "#deleted:". */
  key: string;
  at: string;
  by: string;
  reason: string;
}

export interface HistoryRevision {
  page: string;
  id: number;
  parent: number | null;
  author: string;
  authorKind: ActorKind;
  timestamp: string;
  comment: string;
  minor: boolean;
  sha1: string;
  tags: string[];
  source: string;
}

export type HistoryItem =
  | { type: 'page'; line: number; page: HistoryPage }
  | { type: 'revision'; line: number; revision: HistoryRevision }
  | { type: 'site'; line: number; record: SiteRecord };

const PAGES_OPEN = ',"pages":[';
const REVISIONS_OPEN = '],"revisions":[';
const SITE_OPEN = '],"site":[';
const CLOSE = ']}';
/** A file not in the line layout is parsed whole; past this size that would exhaust memory. */
const MAX_WHOLE_BYTES = 256 << 20;

/** Writes history.json to a temporary name and renames it into place on close. */
export class HistoryWriter {
  private readonly out: BufferedFile;
  private readonly partial: string;
  private section: 'pages' | 'revisions' | 'site' = 'pages';
  private first = true;

  constructor(
    private readonly file: string,
    header: Omit<HistoryHeader, 'format' | 'version'>,
  ) {
    this.partial = `${file}.partial`;
    this.out = new BufferedFile(this.partial, 'wx');
    this.write(JSON.stringify({ format: FORMAT, version: VERSION, ...header }).slice(0, -1) + PAGES_OPEN);
  }

  page(page: HistoryPage): void {
    this.record(JSON.stringify({ title: page.title, file: page.file, revisions: page.revisions, ...(page.deleted ? { deleted: page.deleted } : {}) }));
  }

  revision(r: HistoryRevision): void {
    if (this.section === 'pages') this.open('revisions');
    const { page, id, parent, author, authorKind, timestamp, comment, minor, sha1, tags, source } = r;
    this.record(JSON.stringify({ page, id, parent, author, authorKind, timestamp, comment, minor, sha1, tags, source }));
  }

  /** A record of the "site" section: after every revision. */
  site(record: SiteRecord): void {
    if (this.section === 'pages') this.open('revisions');
    if (this.section === 'revisions') this.open('site');
    this.record(JSON.stringify(record));
  }

  /** Finish the document and move it into place. */
  close(): void {
    if (this.section === 'pages') this.open('revisions');
    if (this.section === 'revisions') this.open('site');
    this.write(`\n${CLOSE}\n`);
    this.out.close();
    renameSync(this.partial, this.file);
  }

  private open(section: 'revisions' | 'site'): void {
    this.write(`\n${section === 'revisions' ? REVISIONS_OPEN : SITE_OPEN}`);
    this.section = section;
    this.first = true;
  }

  // Each record goes on its own line; the comma is written when the next one comes.
  private record(json: string): void {
    this.write(this.first ? `\n${json}` : `,\n${json}`);
    this.first = false;
  }

  private write(text: string): void {
    this.out.write(text);
  }
}

/**
 * Read a history file: the header first, then its pages and revisions in file order.
 * @throws CliError naming the line and what is wrong (bad input: exit 2).
 */
export function readHistory(file: string): { header: HistoryHeader; items: Generator<HistoryItem> } {
  const lines = readLines(file);
  const first = lines.next();
  const line1 = first.done ? '' : first.value.trimEnd();
  if (line1.startsWith('{') && line1.endsWith(PAGES_OPEN)) {
    const header = parseHeader(parseJson(line1.slice(0, -PAGES_OPEN.length) + '}', 1));
    return { header, items: lineItems(lines) };
  }
  lines.return(undefined);
  return readWhole(file);
}

function* lineItems(lines: Generator<string>): Generator<HistoryItem> {
  let section: 'pages' | 'revisions' | 'site' | 'end' = 'pages';
  let n = 1;
  for (const raw of lines) {
    n += 1;
    const line = raw.trimEnd();
    if (section === 'end') {
      if (line !== '') throw bad(n, 'text after the end of the document');
    } else if (line === REVISIONS_OPEN && section === 'pages') {
      section = 'revisions';
    } else if (line === SITE_OPEN && section === 'revisions') {
      section = 'site';
    } else if (line === CLOSE && (section === 'revisions' || section === 'site')) {
      section = 'end';
    } else {
      const value = parseJson(line.endsWith(',') ? line.slice(0, -1) : line, n);
      if (section === 'pages') yield { type: 'page', line: n, page: parsePage(value, n) };
      else if (section === 'revisions') yield { type: 'revision', line: n, revision: parseRevision(value, n) };
      else yield { type: 'site', line: n, record: parseSite(value, n) };
    }
  }
  if (section !== 'end') throw bad(n, 'the file ends before its last line "]}": it is cut short; export it again');
}

function readWhole(file: string): { header: HistoryHeader; items: Generator<HistoryItem> } {
  if (statSync(file).size > MAX_WHOLE_BYTES) {
    throw new CliError(`${file} is not laid out as wiki export writes it (one revision a line) and is too big to read whole; export it again with wiki export.`);
  }
  const doc = parseJson(readFileSync(file, 'utf8'), 0) as { pages?: unknown; revisions?: unknown; site?: unknown };
  const header = parseHeader(doc);
  if (!Array.isArray(doc.pages) || !Array.isArray(doc.revisions)) throw bad(0, '"pages" and "revisions" must be lists');
  const pages = doc.pages as unknown[];
  const revisions = doc.revisions as unknown[];
  if (doc.site !== undefined && !Array.isArray(doc.site)) throw bad(0, '"site" must be a list');
  const site = (doc.site ?? []) as unknown[];
  function* items(): Generator<HistoryItem> {
    for (const [i, p] of pages.entries()) yield { type: 'page', line: 0, page: parsePage(p, 0, `page ${i + 1}`) };
    for (const [i, r] of revisions.entries()) yield { type: 'revision', line: 0, revision: parseRevision(r, 0, `revision ${i + 1}`) };
    for (const [i, r] of site.entries()) yield { type: 'site', line: 0, record: parseSite(r, 0, `site record ${i + 1}`) };
  }
  return { header, items: items() };
}

/** Lines of a file, read in 1 MiB chunks (a line may hold a whole 1 MiB page, escaped). */
function* readLines(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
      rest += decoder.write(chunk.subarray(0, n));
      let start = 0;
      for (let i; (i = rest.indexOf('\n', start)) !== -1; start = i + 1) yield rest.slice(start, i);
      rest = rest.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

function bad(line: number, message: string, where = line > 0 ? `line ${line}` : ''): CliError {
  return new CliError(`${HISTORY_FILE}${where ? ` ${where}` : ''}: ${message}.`);
}

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw bad(line, `not valid JSON (${(e as Error).message})`);
  }
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function parseHeader(v: unknown): HistoryHeader {
  const h = (v ?? {}) as Partial<HistoryHeader>;
  if (h.format !== FORMAT) throw bad(1, `this is not a Peerwiki export (its "format" is not "${FORMAT}")`);
  if (h.version !== VERSION && h.version !== 1) {
    throw bad(1, typeof h.version === 'number' && h.version > VERSION ? `it was written by a newer Peerwiki (version ${h.version}); upgrade this one to import it` : `unknown version ${String(h.version)}`);
  }
  if (!isCount(h.pageCount) || !isCount(h.revisionCount)) throw bad(1, '"pageCount" and "revisionCount" must be whole numbers');
  const siteCount = h.siteCount ?? 0;
  if (!isCount(siteCount)) throw bad(1, '"siteCount" must be a whole number');
  return { format: h.format, version: h.version, exportedAt: String(h.exportedAt ?? ''), pageCount: h.pageCount, revisionCount: h.revisionCount, siteCount };
}

function parsePage(v: unknown, line: number, where?: string): HistoryPage {
  const p = (v ?? {}) as Partial<HistoryPage>;
  if (typeof p.title !== 'string' || !isCount(p.revisions)) throw bad(line, 'a page needs a "title" and a whole number of "revisions"', where);
  const out: HistoryPage = { title: p.title, file: typeof p.file === 'string' ? p.file : '', revisions: p.revisions };
  if (p.deleted !== undefined) {
    const d = (p.deleted ?? {}) as Partial<DeletedPageInfo>;
    if (typeof d.key !== 'string' || !d.key.startsWith('#deleted:')) throw bad(line, '"deleted.key" of a deleted page must start with "#deleted:"', where);
    if (!isTime(d.at) || !isText(d.by) || !isText(d.reason)) throw bad(line, 'a deleted page needs "at" (an ISO 8601 time), "by" (an account name) and "reason"', where);
    out.deleted = { key: d.key, at: d.at, by: d.by, reason: d.reason };
  }
  return out;
}

const KINDS: readonly string[] = ['user', 'temp', 'system'] satisfies ActorKind[];

/** Check the shape of one revision record; what the values mean is checked by import. */
function parseRevision(v: unknown, line: number, where?: string): HistoryRevision {
  const r = (v ?? {}) as Record<string, unknown>;
  const fail = (what: string) => bad(line, `${what}`, where);
  if (typeof r.page !== 'string') throw fail('a revision needs the "page" it belongs to');
  if (!Number.isSafeInteger(r.id) || (r.id as number) < 1) throw fail('"id" must be a positive whole number');
  if (r.parent !== null && r.parent !== undefined && !Number.isSafeInteger(r.parent)) throw fail('"parent" must be a revision id or null');
  if (typeof r.author !== 'string' || r.author === '') throw fail('"author" must be a name');
  if (typeof r.authorKind !== 'string' || !KINDS.includes(r.authorKind)) throw fail('"authorKind" must be user, temp or system');
  if (typeof r.timestamp !== 'string' || Number.isNaN(Date.parse(r.timestamp))) throw fail('"timestamp" must be an ISO 8601 date and time');
  if (typeof r.comment !== 'string') throw fail('"comment" must be text');
  if (typeof r.minor !== 'boolean') throw fail('"minor" must be true or false');
  if (typeof r.sha1 !== 'string' || !/^[0-9a-f]{40}$/.test(r.sha1)) throw fail('"sha1" must be 40 lower-case hex digits');
  const tags = r.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(t))) throw fail('"tags" must be a list of tag names');
  if (typeof r.source !== 'string') throw fail('"source" must be text');
  return {
    page: r.page, id: r.id as number, parent: (r.parent as number | null | undefined) ?? null, author: r.author, authorKind: r.authorKind as ActorKind,
    timestamp: r.timestamp, comment: r.comment, minor: r.minor, sha1: r.sha1, tags: tags as string[], source: r.source,
  };
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isTimeOrNull = (v: unknown): v is string | null => v === null || isTime(v);

/** The fields each kind of site record must have, and what each must hold. */
const SITE_FIELDS: Record<SiteRecord['kind'], Record<string, [(v: unknown) => boolean, string]>> = {
  account: {
    name: [isText, 'a name'], accountKind: [(v) => v === 'user' || v === 'temp', 'user or temp'], role: [(v) => v === 'user' || v === 'admin', 'user or admin'],
    createdAt: [isTime, 'an ISO 8601 time'],
  },
  protection: {
    title: [isText, 'a title'], level: [(v) => v === 'semi' || v === 'full', 'semi or full'], expiry: [isTimeOrNull, 'an ISO 8601 time or null'],
    reason: [isText, 'text'], by: [isText, 'an account name'], createdAt: [isTime, 'an ISO 8601 time'],
  },
  block: {
    target: [isText, 'text'], account: [isTextOrNull, 'an account name or null'], ip: [isTextOrNull, 'an address or null'],
    rangeStart: [isTextOrNull, 'text or null'], rangeEnd: [isTextOrNull, 'text or null'], expiry: [isTimeOrNull, 'an ISO 8601 time or null'],
    reason: [isText, 'text'], by: [isText, 'an account name'], createdAt: [isTime, 'an ISO 8601 time'], removedAt: [isTimeOrNull, 'an ISO 8601 time or null'],
  },
  log: {
    type: [(v) => typeof v === 'string' && ['protect', 'block', 'delete', 'move', 'rollback', 'patrol'].includes(v), 'protect, block, delete, move, rollback or patrol'],
    action: [isText, 'text'], timestamp: [isTime, 'an ISO 8601 time'], by: [isText, 'an account name'], target: [isText, 'text'], reason: [isText, 'text'],
    details: [(v) => typeof v === 'string' && isJson(v), 'a JSON text'],
  },
  watch: { account: [isText, 'an account name'], title: [isText, 'a title'], createdAt: [isTime, 'an ISO 8601 time'] },
};

function isJson(v: string): boolean {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

/** Check the shape of one "site" record; what its names and titles refer to is checked by import. */
function parseSite(v: unknown, line: number, where?: string): SiteRecord {
  const r = (v ?? {}) as Record<string, unknown>;
  const kind = r.kind as SiteRecord['kind'];
  const fields = typeof kind === 'string' ? SITE_FIELDS[kind] : undefined;
  if (!fields) throw bad(line, '"kind" must be account, protection, block, log or watch', where);
  for (const [name, [ok, what]] of Object.entries(fields)) if (!ok(r[name])) throw bad(line, `"${name}" of a ${kind} record must be ${what}`, where);
  if (kind === 'account' && r.passwordHash !== undefined && (typeof r.passwordHash !== 'string' || !r.passwordHash.startsWith('scrypt'))) {
    throw bad(line, '"passwordHash" must be a hash as Peerwiki stores them', where);
  }
  const out: Record<string, unknown> = { kind };
  for (const name of Object.keys(fields)) out[name] = r[name];
  if (kind === 'account' && typeof r.passwordHash === 'string') out.passwordHash = r.passwordHash;
  // A block's choices came later (SPEC section 11): optional, so older exports still import.
  if (kind === 'block') {
    for (const name of ['anonOnly', 'autoblock', 'allowUsertalk']) {
      if (r[name] === undefined) continue;
      if (typeof r[name] !== 'boolean') throw bad(line, `"${name}" of a block record must be true or false`, where);
      out[name] = r[name];
    }
  }
  return out as unknown as SiteRecord;
}
