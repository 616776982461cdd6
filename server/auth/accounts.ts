/** Account rules: valid user names (SPEC section 5: the title rules, minus / : @, not an IP, ≤ 60). */
import { isIP } from 'node:net';
import { tryParseTitle } from '../wiki/title.js';

export const MAX_USER_NAME = 60;

/** undefined when `name` can be a user name as given, else what to fix. */
export function userNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'User name is empty.';
  if (Array.from(name).length > MAX_USER_NAME) return `User name must be at most ${MAX_USER_NAME} characters.`;
  if (/[/:@]/.test(name)) return 'User name may not contain "/", ":" or "@".';
  if (name.startsWith('~')) return 'User names starting with "~" are kept for temporary accounts.';
  if (isIP(name)) return 'User name may not be an IP address.';
  const title = tryParseTitle(name);
  if (!title) return 'User name may not contain # < > [ ] | { } or control characters.';
  if (title.text !== name) return `User name must be written as "${title.text}" (capital first letter, single spaces, no underscores).`;
  return undefined;
}
