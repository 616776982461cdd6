/** The rate limits of SPEC section 6, over one RateLimiter per app. */
import type { Config } from '../config.js';
import type { Actor } from '../wiki/types.js';
import { RateLimiter } from './middleware/rateLimit.js';

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
const HOUR = 60 * MINUTE;
/** Failed logins allowed per account and per IP address in a quarter hour. */
export const FAILED_LOGINS_PER_ACCOUNT = 10;
export const FAILED_LOGINS_PER_IP = 30;
/** Users with this many edits get four times the save limit. */
const ESTABLISHED_EDITS = 10;

export class Limits {
  constructor(
    private readonly config: Pick<Config, 'saveLimit' | 'signupLimit'>,
    private readonly limiter = new RateLimiter(),
  ) {}

  /** Count a save by this actor. Admins are not limited. */
  save(actor: Actor | undefined, ip: string | undefined): void {
    if (actor?.role === 'admin' && actor.kind === 'user') return;
    const established = actor?.kind === 'user' && actor.editCount >= ESTABLISHED_EDITS;
    const limit = established ? this.config.saveLimit * 4 : this.config.saveLimit;
    // Anonymous editors count by address, so dropping the temporary account's cookie gains nothing.
    const key = actor?.kind === 'user' ? `save:a${actor.id}` : `save:ip:${ip ?? '?'}`;
    this.limiter.hit(key, limit, MINUTE, `Too many saves: at most ${limit} a minute. Wait a moment, then save again; your text is kept in the form.`);
  }

  /** Refuse a registration when this address made too many accounts in the last hour. */
  beforeSignup(ip: string | undefined): void {
    this.limiter.check(`signup:${ip ?? '?'}`, this.config.signupLimit, HOUR, `Too many new accounts from your address: at most ${this.config.signupLimit} an hour. Try again later.`);
  }

  signedUp(ip: string | undefined): void {
    if (this.config.signupLimit > 0) this.limiter.record(`signup:${ip ?? '?'}`);
  }

  /** Refuse a login attempt when the account or the address has failed too often lately. */
  beforeLogin(name: string, ip: string | undefined): void {
    const msg = 'Too many failed logins. Wait a few minutes before trying again.';
    this.limiter.check(`login:n:${name}`, FAILED_LOGINS_PER_ACCOUNT, QUARTER_HOUR, msg);
    this.limiter.check(`login:ip:${ip ?? '?'}`, FAILED_LOGINS_PER_IP, QUARTER_HOUR, msg);
  }

  loginFailed(name: string, ip: string | undefined): void {
    this.limiter.record(`login:n:${name}`);
    this.limiter.record(`login:ip:${ip ?? '?'}`);
  }
}
