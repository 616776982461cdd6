/** Edge parsers: raw request input → typed values, or a 400 that says what to fix. */
import type { Request } from 'express';
import type { LogType, ProtectionLevel } from '../db/admin.js';
import type { HistoryFilter } from '../db/revisions.js';
import { InvalidInputError, InvalidTitleError } from '../wiki/errors.js';
import { parseTitle, type Title } from '../wiki/title.js';

/** A request body's fields by name; values are still raw (pass them through the parsers below). */
export type Body = Readonly<Record<string, unknown>>;

/** A title from a URL path segment (percent-encoded, `_` for spaces). @throws InvalidTitleError */
export function titleFromPath(encoded: string): Title {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw new InvalidTitleError('The title in the URL is not valid percent-encoded UTF-8.');
  }
  return parseTitle(decoded);
}

/** A title from an Express route parameter, which Express has already percent-decoded. @throws InvalidTitleError */
export function titleFromParam(decoded: string): Title {
  return parseTitle(decoded);
}

/** The title in a wildcard route's path segments (Express has decoded each one). @throws InvalidTitleError */
export function titleFromSegments(segments: unknown): Title {
  return parseTitle(Array.isArray(segments) ? segments.join('/') : String(segments ?? ''));
}

/** Where to go after logging in: only a local path, never another site ("//evil.example", "/\\evil"); else the Main Page. */
export function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value) ? value : '/wiki/Main_Page';
}

/** A positive decimal integer id. @throws InvalidInputError naming the field. */
export function positiveId(field: string, value: unknown): number {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || !/^[1-9]\d{0,15}$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw new InvalidInputError(`${field} must be a positive whole number.`);
  }
  return Number(s);
}

/** As positiveId, but undefined when the value is absent or empty. */
export function optionalId(field: string, value: unknown): number | undefined {
  return value === undefined || value === null || value === '' ? undefined : positiveId(field, value);
}

/** A limit: a positive integer, capped (not refused) at `max`; `fallback` when absent. */
export function limit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || !/^[1-9]\d*$/.test(s)) throw new InvalidInputError('limit must be a positive whole number.');
  // Any number of digits is fine: above the maximum means the maximum.
  return s.length > 15 ? max : Math.min(Number(s), max);
}

/** An offset: zero or a positive integer. */
export function offset(value: unknown): number {
  if (value === undefined || value === '' || value === '0') return 0;
  return positiveId('offset', value);
}

/** A well-formed Unicode string field. @throws InvalidInputError */
export function text(field: string, value: unknown, options: { required?: boolean } = {}): string {
  if (value === undefined || value === null) {
    if (options.required) throw new InvalidInputError(`${field} is required.`);
    return '';
  }
  if (typeof value !== 'string') throw new InvalidInputError(`${field} must be a string.`);
  if (!value.isWellFormed()) throw new InvalidInputError(`${field} is not valid Unicode (it has a lone surrogate).`);
  return value;
}

/** A checkbox or JSON boolean. */
export function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 'on' || value === 'yes';
}

/**
 * An optional yes/no field: undefined when absent (the caller's default holds), else true or false.
 * @throws InvalidInputError for anything else, naming the field.
 */
export function optionalFlag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === false) return value;
  if (typeof value === 'string' && /^(true|1|on|yes)$/i.test(value)) return true;
  if (typeof value === 'string' && /^(false|0|off|no)$/i.test(value)) return false;
  throw new InvalidInputError(`${name} must be true or false.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain JSON object. @throws InvalidInputError */
export function jsonObject(value: unknown): Body {
  if (!isRecord(value)) throw new InvalidInputError('The request body must be a JSON object.');
  return value;
}

/** The JSON body of an API request (a bare POST counts as `{}`). @throws InvalidInputError unless it is an object. */
export function jsonBody(req: Request): Body {
  return jsonObject(req.body ?? {});
}

/** The form body of a browser request; `{}` when there is none (or it is not a form). Never throws. */
export function formBody(req: Request): Body {
  const body: unknown = req.body;
  return isRecord(body) ? body : {};
}

/** A single query-string value (repeated parameters are refused rather than guessed). */
export function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(`${name} must be given once, as plain text.`);
  if (!v.isWellFormed()) throw new InvalidInputError(`${name} is not valid Unicode.`);
  return v;
}

const LEVELS = new Set<string>(['none', 'semi', 'full']);
const LOG_TYPES = new Set<string>(['protect', 'block', 'delete', 'move', 'rollback', 'patrol']);
const HISTORY_FILTERS = new Set<string>(['reverted', 'anonymous', 'minor']);
const isLevel = (v: string): v is ProtectionLevel | 'none' => LEVELS.has(v);
const isLogType = (v: string): v is LogType => LOG_TYPES.has(v);
const isHistoryFilter = (v: string): v is HistoryFilter => HISTORY_FILTERS.has(v);

/** A protection level. @throws InvalidInputError unless none, semi or full. */
export function parseLevel(value: unknown): ProtectionLevel | 'none' {
  if (typeof value !== 'string' || !isLevel(value)) throw new InvalidInputError('level must be "none", "semi" or "full".');
  return value;
}

/** A log type to filter by; undefined when absent or empty. @throws InvalidInputError for an unknown type. */
export function parseLogType(value: string | undefined): LogType | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isLogType(value)) throw new InvalidInputError('type must be one of protect, block, delete, move, rollback, patrol.');
  return value;
}

/** A history filter; undefined when absent or empty. @throws InvalidInputError for an unknown filter. */
export function historyFilter(value: string | undefined): HistoryFilter | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isHistoryFilter(value)) throw new InvalidInputError('filter must be one of reverted, anonymous, minor.');
  return value;
}

/** An ISO 8601 time, as an ISO string in UTC. @throws InvalidInputError for anything else. */
export function parseSince(value: unknown): string {
  const t = typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value) ? new Date(value) : undefined;
  if (!t || Number.isNaN(t.getTime())) throw new InvalidInputError('since must be an ISO 8601 time, like 2026-12-01T09:00:00Z.');
  return t.toISOString();
}

/** A section number (0: the text before the first heading); undefined when absent or empty. @throws InvalidInputError */
export function sectionParam(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value)) throw new InvalidInputError('section must be a whole number (0 for the text before the first heading).');
  return Number(value);
}

/** The base of an API save, `latest: {"id": N}`; null when absent. @throws InvalidInputError for any other shape. */
export function latestId(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new InvalidInputError('latest must be an object like {"id": 123}.');
  return positiveId('latest.id', value.id);
}
