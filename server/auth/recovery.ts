/**
 * Accounts people can keep (SPEC section 11): a verified email address, and a way back in by a
 * single-use, short-lived link sent to it. A link's secret is sent once and only its SHA-256 is
 * kept; the answers never say whether an account or address exists.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Stores } from '../db/stores.js';
import type { LinkPurpose } from '../db/accountLinks.js';
import { InvalidInputError, WikiError } from '../wiki/errors.js';
import { normalUserName } from '../wiki/title.js';
import type { Actor } from '../wiki/types.js';
import { hashPasswordAsync, passwordProblem } from './passwords.js';

/** What sending needs (server/mail.ts). */
export interface LinkMail {
  readonly enabled: boolean;
  send(message: { to: string; subject: string; text: string }): void;
}

/** A reset link works for an hour (SPEC section 11); a confirmation link for a day. */
export const RESET_LINK_MS = 60 * 60_000;
export const CONFIRM_LINK_MS = 24 * 60 * 60_000;
/** At most this many accounts get a reset link for one address asked about. */
const ACCOUNTS_PER_ADDRESS = 5;
const MAX_EMAIL = 254;

/** An address in the form the wiki keeps it (trimmed, lower case). @throws InvalidInputError for what cannot be an address. */
export function normalEmail(text: string): string {
  const email = text.trim().toLowerCase();
  if (email.length > MAX_EMAIL || !/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/.test(email)) {
    throw new InvalidInputError('email: write an address such as name@example.org, or leave it empty to remove yours.');
  }
  return email;
}

const hashOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Make a link's secret, keep its hash, and return the secret (for the mail only). */
function issue(stores: Stores, actorId: number, purpose: LinkPurpose, email: string, ttl: number): string {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  stores.transaction(() => {
    // Only the newest link of a kind works: asking again makes the earlier one useless.
    stores.accountLinks.dropAll(actorId, purpose, now.toISOString());
    stores.accountLinks.prune(new Date(now.getTime() - CONFIRM_LINK_MS).toISOString());
    stores.accountLinks.add(hashOf(token), { actorId, purpose, email, now: now.toISOString(), expiresAt: new Date(now.getTime() + ttl).toISOString() });
  });
  return token;
}

/** The link's account, when `token` is a link for `purpose` still unused and in time; undefined otherwise. */
export function linkAccount(stores: Stores, token: string, purpose: LinkPurpose): Actor | undefined {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const link = stores.accountLinks.byHash(hashOf(token));
  if (!link || link.purpose !== purpose || link.usedAt !== null || link.expiresAt <= new Date().toISOString()) return undefined;
  return stores.actors.byId(link.actorId);
}

const deadLink = (what: string) =>
  new WikiError('invalid_input', `This ${what} link is used, expired or mistyped. Links work once, for a limited time: ask for a new one.`);

/**
 * Send a password reset link to the verified address of the account named `who` (a user name, or
 * an address: every account with it verified, up to a few). Says nothing of what was found.
 */
export function requestPasswordReset(stores: Stores, mail: LinkMail, publicUrl: string, who: string): void {
  const typed = who.trim();
  if (typed === '') throw new InvalidInputError('Write your user name or your email address.');
  if (typed.length > MAX_EMAIL) throw new InvalidInputError('That is longer than any user name or address.');
  let accounts: Actor[];
  if (typed.includes('@')) {
    const email = normalEmail(typed);
    accounts = stores.actors.byEmail(email, ACCOUNTS_PER_ADDRESS);
  } else {
    const actor = stores.actors.byName(normalUserName(typed));
    accounts = actor?.kind === 'user' ? [actor] : [];
  }
  for (const actor of accounts) {
    const email = stores.actors.preferences(actor.id).email;
    if (!email) continue;
    const token = issue(stores, actor.id, 'reset-password', email, RESET_LINK_MS);
    mail.send({
      to: email,
      subject: 'Reset your Peerwiki password',
      text: [
        `Hello ${actor.name},`,
        '',
        'Someone (you, we hope) asked to reset the password of your Peerwiki account. To choose a new one, open this link within an hour:',
        `${publicUrl}/special/reset-password?token=${token}`,
        '',
        'The link works once. If you did not ask, ignore this message: your password stays as it is.',
      ].join('\n'),
    });
  }
}

/**
 * Set a new password with a reset link: the link is used up, every session of the account ends,
 * and every other reset link stops working.
 * @throws WikiError invalid_input for a dead link or a weak password (the link then still works).
 */
export async function resetPassword(stores: Stores, token: string, newPassword: string): Promise<Actor> {
  const actor = linkAccount(stores, token, 'reset-password');
  if (!actor) throw deadLink('password reset');
  const problem = passwordProblem(newPassword);
  if (problem) throw new InvalidInputError(`new_password: ${problem}`);
  const hash = await hashPasswordAsync(newPassword);
  return stores.transaction(() => {
    const now = new Date().toISOString();
    // Used only once even when two tabs post the link at the same moment: the update decides.
    if (!stores.accountLinks.use(hashOf(token), now)) throw deadLink('password reset');
    stores.actors.setPasswordHash(actor.id, hash);
    stores.accountLinks.dropAll(actor.id, 'reset-password', now);
    return stores.actors.byId(actor.id)!;
  });
}

/**
 * Change the account's address: an empty one removes it at once; a new one is used only after the
 * link sent to it is followed (the old one stays until then).
 * @returns what happened, for the page to say.
 * @throws InvalidInputError for a malformed address; WikiError invalid_input when the wiki sends no mail.
 */
export function changeEmail(stores: Stores, mail: LinkMail, publicUrl: string, actor: Actor, typed: string): 'removed' | 'sent' | 'unchanged' {
  if (typed.trim() === '') {
    if (stores.actors.preferences(actor.id).email === null) return 'unchanged';
    stores.transaction(() => {
      stores.actors.setEmail(actor.id, null);
      stores.actors.setPreferences(actor.id, { ...stores.actors.preferences(actor.id), emailNotifications: false });
      stores.accountLinks.dropAll(actor.id, 'confirm-email', new Date().toISOString());
    });
    return 'removed';
  }
  const email = normalEmail(typed);
  if (email === stores.actors.preferences(actor.id).email) return 'unchanged';
  if (!mail.enabled) throw new WikiError('invalid_input', 'This wiki sends no mail, so it cannot confirm an email address: its administrator has not set WIKI_SMTP_URL.');
  const token = issue(stores, actor.id, 'confirm-email', email, CONFIRM_LINK_MS);
  mail.send({
    to: email,
    subject: 'Confirm your email address on Peerwiki',
    text: [
      `Hello ${actor.name},`,
      '',
      'To use this address for your Peerwiki account (password resets, notifications you ask for), open this link within a day:',
      `${publicUrl}/special/confirm-email?token=${token}`,
      '',
      'If you did not ask for this, ignore this message: the address will not be used.',
    ].join('\n'),
  });
  return 'sent';
}

/** Follow a confirmation link: its address becomes the account's. @throws WikiError invalid_input for a dead link. */
export function confirmEmail(stores: Stores, token: string): Actor {
  return stores.transaction(() => {
    const actor = linkAccount(stores, token, 'confirm-email');
    const link = actor && stores.accountLinks.byHash(hashOf(token));
    if (!actor || !link || !stores.accountLinks.use(hashOf(token), new Date().toISOString())) throw deadLink('confirmation');
    stores.actors.setEmail(actor.id, link.email);
    return actor;
  });
}
