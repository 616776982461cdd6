/**
 * The parameters of one Action API request (SPEC section 10), read as MediaWiki reads them: from
 * the query string and the form body together, lists split on `|` (or on U+001F when the value
 * starts with it), a flag true when present at all, timestamps as ISO 8601 or YYYYMMDDHHMMSS.
 * Every name read is remembered, so the names nobody read come back as warnings, not errors.
 */
import type { Request } from 'express';
import { ApiError } from './errors.js';

/** Parameters every client may send that need no module of their own. */
const GENERAL = new Set(['action', 'format', 'formatversion', 'utf8', 'ascii', 'errorformat', 'errorlang', 'errorsuselocal', 'origin', 'uselang', 'variant', 'requestid', 'servedby', 'curtimestamp', 'responselanginfo', 'maxlag', 'smaxage', 'maxage', 'assert', 'assertuser', 'bot', 'centralauthtoken', 'crossorigin']);

export class Params {
  private readonly values = new Map<string, string>();
  private readonly read = new Set<string>(GENERAL);

  constructor(req: Request) {
    for (const source of [req.query as Record<string, unknown>, (req.body ?? {}) as Record<string, unknown>]) {
      for (const [name, raw] of Object.entries(source)) {
        // A repeated parameter: MediaWiki takes the last one.
        const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
        if (typeof value === 'string') this.values.set(name, value);
      }
    }
  }

  has(name: string): boolean {
    this.read.add(name);
    return this.values.has(name);
  }

  /** The value, or undefined when absent. */
  str(name: string): string | undefined {
    this.read.add(name);
    return this.values.get(name);
  }

  /** A flag: present (with any value, even empty) is true, as MediaWiki's booleans are. */
  flag(name: string): boolean {
    return this.str(name) !== undefined;
  }

  /** The value split into a list; [] when absent or empty. */
  list(name: string): string[] {
    const v = this.str(name);
    if (v === undefined || v === '') return [];
    return v.startsWith('\x1f') ? v.slice(1).split('\x1f') : v.split('|');
  }

  /** One of `allowed`, or `fallback` when absent. @throws ApiError badvalue */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.str(name);
    if (v === undefined || v === '') return fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new ApiError('badvalue', `Unrecognized value for parameter "${name}": ${v}.`);
    return v as T;
  }

  /** Values of a list parameter, each one of `allowed`. @throws ApiError badvalue */
  choices<T extends string>(name: string, allowed: readonly T[]): T[] {
    const values = this.list(name);
    const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
    if (bad.length) throw new ApiError('badvalue', `Unrecognized value${bad.length > 1 ? 's' : ''} for parameter "${name}": ${bad.join(', ')}.`);
    return values as T[];
  }

  /** A whole number, or undefined when absent. @throws ApiError badinteger */
  int(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d{1,15}$/.test(v.trim())) throw new ApiError('badinteger', `Invalid value "${v}" for integer parameter "${name}".`);
    return Number(v.trim());
  }

  /** A positive id, or undefined when absent. */
  id(name: string): number | undefined {
    const n = this.int(name);
    if (n !== undefined && n <= 0) throw new ApiError('badinteger', `Invalid value "${n}" for parameter "${name}": ids are positive.`);
    return n;
  }

  /** A limit: `max` for "max", `fallback` when absent, clamped to 1..max. */
  limit(name: string, fallback: number, max: number): number {
    if (this.str(name) === 'max') return max;
    const n = this.int(name);
    return n === undefined ? fallback : Math.max(1, Math.min(max, n));
  }

  /** A time as ISO 8601 (what the wiki stores), from ISO 8601 or MediaWiki's YYYYMMDDHHMMSS. @throws ApiError badtimestamp */
  timestamp(name: string): string | undefined {
    const v = this.str(name)?.trim();
    if (v === undefined || v === '') return undefined;
    if (v === 'now') return new Date().toISOString();
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
    const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : v;
    const t = Date.parse(iso);
    if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(iso)) throw new ApiError('badtimestamp', `Invalid value "${v}" for timestamp parameter "${name}".`);
    return new Date(t).toISOString();
  }

  /** Names sent that no module read, for the warnings. */
  unread(): string[] {
    return [...this.values.keys()].filter((n) => !this.read.has(n));
  }
}
