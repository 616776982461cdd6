/**
 * Password hashing with scrypt (node:crypto) and a per-user salt; constant-time comparison.
 * Requests use the async forms: scrypt takes about 70 ms of CPU, which on libuv's thread pool
 * holds nobody up, while scryptSync would hold every reader for it on each login attempt.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 10;
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, options, (e, key) => (e ? reject(e) : resolve(key))));
}

function encode(salt: Buffer, key: Buffer): string {
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A self-describing hash: scrypt$N$r$p$salt$key (base64). Blocks for the hashing: for tools that run alone. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return encode(salt, scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P }));
}

/** hashPassword for requests: the hashing runs on the thread pool. */
export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(16);
  return encode(salt, await scryptAsync(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P }));
}

/** Whether the password matches the stored hash, hashing on the thread pool. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16 || !Number.isSafeInteger(n) || n < 2) return false;
  const key = await scryptAsync(password.normalize('NFC'), salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/**
 * A hash to compare against when the account does not exist, so both paths take the same time:
 * the same parameters as a real one, a random key no password can produce. Made without hashing,
 * so loading this module costs nothing (scryptSync here held every worker ~95 ms at start).
 */
export const DUMMY_HASH = encode(randomBytes(16), randomBytes(KEY_LENGTH));

/** undefined when acceptable, else what to fix. */
export function passwordProblem(password: string): string | undefined {
  if (Array.from(password).length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (Buffer.byteLength(password, 'utf8') > 1024) return 'Password must be at most 1024 bytes long.';
  return undefined;
}
