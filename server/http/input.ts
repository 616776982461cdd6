/** Edge parsers: raw request input → typed values, or a 400 that says what to fix. */
import { InvalidInputError, InvalidTitleError } from '../wiki/errors.js';
import { parseTitle, type Title } from '../wiki/title.js';

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

/** A plain JSON object body. @throws InvalidInputError */
export function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** A single query-string value (repeated parameters are refused rather than guessed). */
export function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InvalidInputError(`${name} must be given once, as plain text.`);
  if (!v.isWellFormed()) throw new InvalidInputError(`${name} is not valid Unicode.`);
  return v;
}
