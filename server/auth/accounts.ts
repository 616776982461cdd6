/** Accounts: user-name rules (SPEC section 5), registering, logging in, changing passwords. */
import { normalUserName, tryParseTitle } from '../wiki/title.js';
import { parseAddress } from '../wiki/address.js';
import type { Stores } from '../db/stores.js';
import type { Actor } from '../wiki/types.js';
import { InvalidInputError, WikiError } from '../wiki/errors.js';
import { DUMMY_HASH, hashPasswordAsync, passwordProblem, verifyPassword } from './passwords.js';

export const MAX_USER_NAME = 60;
/** The account that writes starter content; nobody may register it. */
export const SYSTEM_NAME = 'Peerwiki';

/**
 * undefined when `name` (as normalUserName gives it: `alice` is `Alice`) can be a user name, else
 * what to fix.
 */
export function userNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'User name is empty.';
  if (Array.from(name).length > MAX_USER_NAME) return `User name must be at most ${MAX_USER_NAME} characters.`;
  if (/[/:@]/.test(name)) return 'User name may not contain "/", ":" or "@".';
  if (name.startsWith('~')) return 'User names starting with "~" are kept for temporary accounts.';
  // Every spelling blocks treat as an address (010.000.000.005 too), so a name never shadows one.
  if (parseAddress(name)) return 'User name may not be an IP address.';
  if (name.toLowerCase() === SYSTEM_NAME.toLowerCase()) return `"${SYSTEM_NAME}" is the name of the wiki's own account; pick another.`;
  if (/\p{Cf}/u.test(name)) return 'User name may not contain invisible formatting characters (such as zero-width spaces or direction marks).';
  const title = tryParseTitle(name);
  if (!title) return 'User name may not contain # < > [ ] | { } or control characters.';
  if (title.text !== name) return `User name "${name}" is not in its normal form "${title.text}"; register it as typed and the wiki writes it so.`;
  return undefined;
}


/**
 * Create a registered account.
 * @throws InvalidInputError for a bad name or password; WikiError name_taken when it exists.
 */
export async function register(stores: Stores, typed: string, password: string): Promise<Actor> {
  const name = normalUserName(typed);
  const nameProblem = userNameProblem(name);
  if (nameProblem) throw new InvalidInputError(`username: ${nameProblem}`);
  const problem = passwordProblem(password);
  if (problem) throw new InvalidInputError(`password: ${problem}`);
  const hash = await hashPasswordAsync(password);
  return stores.transaction(() => {
    if (stores.actors.byName(name)) throw new WikiError('name_taken', name === typed ? `The name "${name}" is taken; pick another.` : `"${typed}" is the name "${name}", which is taken; pick another.`);
    return stores.actors.create(name, 'user', 'user', hash);
  });
}

/** The account when name and password match; undefined otherwise (same answer for both failures). */
export async function checkLogin(stores: Stores, typed: string, password: string): Promise<Actor | undefined> {
  const actor = stores.actors.byName(normalUserName(typed));
  const hash = actor?.kind === 'user' ? stores.actors.passwordHash(actor.id) : undefined;
  // Hash even for unknown accounts, so the answer takes as long either way.
  const ok = await verifyPassword(password, hash ?? DUMMY_HASH);
  return ok && hash !== undefined ? actor : undefined;
}

/**
 * Change a password; every earlier token stops working.
 * @throws WikiError unauthorized for a wrong old password, InvalidInputError for a weak new one.
 */
export async function changePassword(stores: Stores, actor: Actor, oldPassword: string, newPassword: string): Promise<Actor> {
  if (!(await checkLogin(stores, actor.name, oldPassword))) throw new WikiError('unauthorized', 'old_password is wrong.');
  const problem = passwordProblem(newPassword);
  if (problem) throw new InvalidInputError(`new_password: ${problem}`);
  const hash = await hashPasswordAsync(newPassword);
  return stores.transaction(() => {
    stores.actors.setPasswordHash(actor.id, hash);
    // A reset link asked for earlier must not undo the change.
    stores.accountLinks.dropAll(actor.id, 'reset-password', new Date().toISOString());
    return stores.actors.byId(actor.id)!;
  });
}
