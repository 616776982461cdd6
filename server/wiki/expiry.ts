/** Expiry times of protections and blocks: "infinite", an ISO 8601 time, or a duration like "3 days" (SPEC section 6). */
import { InvalidInputError } from './errors.js';

/**
 * The latest expiry there can be. Stored expiries are compared with "now" as text (in SQL and
 * in code), which is only right while every year has four digits: toISOString writes the year
 * 10000 as "+010000", and "+" sorts before every digit, so such a block would count as long over.
 */
export const LAST_EXPIRY = '9999-12-31T23:59:59.999Z';
const LAST_MS = Date.parse(LAST_EXPIRY);

const HOW = 'write "infinite", an ISO 8601 time such as 2027-01-31T12:00:00Z, or a duration such as "3 days" or "2 weeks"';
const FIXED: Record<string, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, fortnight: 14 * 86_400_000 };
const INFINITE = new Set(['infinite', 'infinity', 'indefinite', 'never']);
const DURATION = /^(\d{1,9})\s*(second|minute|hour|day|week|fortnight|month|year)s?$/;
// Date, optional time (minutes, seconds and fractions optional), optional offset; nothing else.
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** Calendar months and years, kept to the end of a shorter month (Jan 31 + 1 month is Feb 28 or 29, not Mar 3). */
function addMonths(from: Date, months: number): number {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

function fromDuration(n: number, unit: string, now: Date): number {
  if (unit === 'month') return addMonths(now, n);
  if (unit === 'year') return addMonths(now, n * 12);
  return now.getTime() + n * FIXED[unit]!;
}

/** Milliseconds of an ISO 8601 time, or NaN when a field is out of range (Feb 30, 24:00, +25:00). */
function fromIso(m: RegExpExecArray): number {
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)));
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (hour! > 23 || minute! > 59 || second! > 59) return NaN;
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  const check = new Date(0);
  check.setUTCFullYear(year!, month! - 1, day!);
  check.setUTCHours(hour!, minute!, second!, ms);
  // Dates roll Feb 30 over to Mar 2; a date that does not survive the round trip was not real.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day) return NaN;
  const local = check.getTime();
  // No offset means UTC (SPEC section 5: timestamps are UTC), never the server's time zone.
  const zone = (m[8] ?? 'Z').toUpperCase();
  if (zone === 'Z') return local;
  const z = /^([+-])(\d\d):?(\d\d)?$/.exec(zone)!;
  const offset = Number(z[2]) * 60 + Number(z[3] ?? 0);
  if (Number(z[2]) > 23 || Number(z[3] ?? 0) > 59) return NaN;
  return local - (z[1] === '+' ? 1 : -1) * offset * 60_000;
}

/**
 * null for infinite (also the default when empty), else the expiry as an ISO 8601 UTC time with
 * a four-digit year (`2027-01-31T12:00:00.000Z`), which sorts as text in time order.
 * @throws InvalidInputError saying what to write, for anything unparseable, not in the future,
 *   or past the year 9999; never a different expiry than the one asked for.
 */
export function parseExpiry(value: unknown, now = new Date()): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new InvalidInputError(`expiry: ${HOW}.`);
  const v = value.trim();
  if (INFINITE.has(v.toLowerCase())) return null;
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  let t: number;
  const d = DURATION.exec(v.toLowerCase());
  const iso = d ? null : ISO.exec(v);
  if (d) {
    if (Number(d[1]) === 0) throw new InvalidInputError(`expiry: "${shown}" ends now; give a duration of at least 1, or ${HOW}.`);
    t = fromDuration(Number(d[1]), d[2]!, now);
  } else if (iso) {
    t = fromIso(iso);
    if (Number.isNaN(t)) throw new InvalidInputError(`expiry: "${shown}" is not a real date and time; ${HOW}.`);
  } else if (/^[+-]?\d{5,}-\d\d-\d\d/.test(v)) {
    t = Infinity;
  } else {
    throw new InvalidInputError(`expiry: "${shown}" is not understood; ${HOW}.`);
  }
  // NaN here is a duration too long for Date to hold: past the year 9999 as well.
  if (!(t <= LAST_MS)) {
    throw new InvalidInputError(`expiry: "${shown}" ends after the year 9999; write "infinite" for no end, or a time no later than 9999-12-31T23:59:59Z.`);
  }
  if (t <= now.getTime()) throw new InvalidInputError(`expiry: "${shown}" is in the past; ${HOW}.`);
  return new Date(t).toISOString();
}
