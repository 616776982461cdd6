/** Expiry times of protections and blocks: "infinite", ISO 8601, or a duration like "3 days". */
import { InvalidInputError } from './errors.js';

const UNITS: Record<string, number> = {
  minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, year: 365 * 86_400_000,
};

/**
 * null for infinite (the default when empty), else an ISO 8601 UTC time in the future.
 * @throws InvalidInputError for anything else, or a time in the past.
 */
export function parseExpiry(value: unknown, now = new Date()): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new InvalidInputError('expiry must be "infinite", an ISO 8601 time, or a duration like "3 days".');
  const v = value.trim().toLowerCase();
  if (v === 'infinite' || v === 'infinity' || v === 'never' || v === 'indefinite') return null;
  const d = /^(\d{1,4})\s*(minute|hour|day|week|month|year)s?$/.exec(v);
  if (d) return new Date(now.getTime() + Number(d[1]) * UNITS[d[2]!]!).toISOString();
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/i.test(value.trim())) {
    throw new InvalidInputError('expiry must be "infinite", an ISO 8601 time (2027-01-31T12:00:00Z), or a duration like "3 days".');
  }
  const t = new Date(value.trim());
  if (Number.isNaN(t.getTime())) throw new InvalidInputError(`expiry "${value}" is not a real date.`);
  if (t.getTime() <= now.getTime()) throw new InvalidInputError('expiry must be in the future.');
  return t.toISOString();
}
