/** The rate limits of SPEC section 6, over one RateLimiter per app (counted in the database: they hold across worker processes). */
import type { Config } from '../config.js';
import type { Actor } from '../wiki/types.js';
import { InvalidInputError } from '../wiki/errors.js';
import { limitSubject } from '../wiki/address.js';
import { normalUserName } from '../wiki/title.js';
import { MAX_USER_NAME } from '../auth/accounts.js';
import type { Db } from '../db/connection.js';
import { SqliteRateLimiter, type RateLimiter } from './middleware/rateLimit.js';

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
const HOUR = 60 * MINUTE;
/** Failed logins allowed per account from one address, and per address, in a quarter hour. */
export const FAILED_LOGINS_PER_ACCOUNT = 10;
export const FAILED_LOGINS_PER_IP = 30;
/** Reset links asked for from one address in an hour (MediaWiki's default for password resets). */
export const MAIL_REQUESTS_PER_HOUR = 5;
/** Users with this many edits get four times the save limit. */
const ESTABLISHED_EDITS = 10;

// Per-address counts use limitSubject: an IPv4 address, or the IPv6 /64 holding the address.
export class Limits {
  constructor(
    private readonly config: Pick<Config, 'saveLimit' | 'signupLimit'>,
    private readonly limiter: RateLimiter,
  ) {}

  /** Limits counted in `db`'s rate_limit table, so they hold across every process serving it. */
  static inDatabase(config: Pick<Config, 'saveLimit' | 'signupLimit'>, db: Db): Limits {
    return new Limits(config, new SqliteRateLimiter(db));
  }

  /**
   * Count a save by this actor; `exempt` (the caller's rights say so: admins) counts nothing.
   * @throws RateLimitedError past the limit.
   */
  save(actor: Actor | undefined, ip: string | undefined, o: { exempt?: boolean } = {}): void {
    if (o.exempt) return;
    const established = actor?.kind === 'user' && actor.editCount >= ESTABLISHED_EDITS;
    const limit = established ? this.config.saveLimit * 4 : this.config.saveLimit;
    // Anonymous editors count by address, so dropping the temporary account's cookie gains nothing.
    const key = actor?.kind === 'user' ? `save:a${actor.id}` : `save:ip:${limitSubject(ip)}`;
    this.limiter.hit(key, limit, MINUTE, `Too many saves: at most ${limit} a minute. Wait a moment, then save again; your text is kept in the form.`);
  }

  /** Refuse a registration when this address made too many accounts in the last hour. @throws RateLimitedError */
  beforeSignup(ip: string | undefined): void {
    this.limiter.check(`signup:${limitSubject(ip)}`, this.config.signupLimit, HOUR, `Too many new accounts from your address: at most ${this.config.signupLimit} an hour. Try again later.`);
  }

  signedUp(ip: string | undefined): void {
    this.limiter.record(`signup:${limitSubject(ip)}`, this.config.signupLimit, HOUR);
  }

  /**
   * Refuse a login attempt when this account failed too often from this address, or this address
   * failed too often with any account. Counting the account only together with the address means
   * guesses from elsewhere never lock its owner out (SPEC section 6).
   * @throws InvalidInputError for a name no account can have (checked first, so it never becomes
   *   a limiter key); RateLimitedError past either limit.
   */
  beforeLogin(name: string, ip: string | undefined): void {
    if (tooLong(name)) throw new InvalidInputError(`username: user names are at most ${MAX_USER_NAME} characters.`);
    const msg = 'Too many failed logins. Wait a few minutes before trying again.';
    this.limiter.check(accountKey(name, ip), FAILED_LOGINS_PER_ACCOUNT, QUARTER_HOUR, msg);
    this.limiter.check(`login:ip:${limitSubject(ip)}`, FAILED_LOGINS_PER_IP, QUARTER_HOUR, msg);
  }

  /** Count a failed login; call only after beforeLogin accepted the name. */
  loginFailed(name: string, ip: string | undefined): void {
    this.limiter.record(accountKey(name, ip), FAILED_LOGINS_PER_ACCOUNT, QUARTER_HOUR);
    this.limiter.record(`login:ip:${limitSubject(ip)}`, FAILED_LOGINS_PER_IP, QUARTER_HOUR);
  }

  /** Count a request that sends mail (a reset link) from this address: a few an hour. @throws RateLimitedError */
  mailRequest(ip: string | undefined): void {
    this.limiter.hit(`mail:ip:${limitSubject(ip)}`, MAIL_REQUESTS_PER_HOUR, HOUR, `Too many reset links asked for from your address: at most ${MAIL_REQUESTS_PER_HOUR} an hour. Try again later.`);
  }

  /** Stop the limiter's timer (at shutdown, and when a test is done with its app). */
  close(): void {
    this.limiter.close();
  }
}

// Counting code points of a megabyte-long name would itself cost; its UTF-16 length settles most.
const tooLong = (name: string) => name.length > MAX_USER_NAME && (name.length > 2 * MAX_USER_NAME || Array.from(name).length > MAX_USER_NAME);

// The address comes first: it has no "|" of its own, while a name might. The name as the account
// is named: `alice`, `Alice` and `alice_` are one account, so they count against one limit.
const accountKey = (name: string, ip: string | undefined) => `login:a:${limitSubject(ip)}|${normalUserName(name)}`;
