/** Action API errors (SPEC section 10): MediaWiki's codes, from the wiki's own errors where one applies. */
import { BlockedError, WikiError } from '../../../wiki/errors.js';

/** An error the Action API answers as `{"error": {"code", "info"}}`, with HTTP 200 as MediaWiki does. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly info: string,
  ) {
    super(info);
  }
}

/** The wiki's error codes in MediaWiki's words; the modules throw more precise ones where they know better. */
const CODES: Record<string, string> = {
  invalid_title: 'invalidtitle',
  invalid_input: 'badvalue',
  invalid_json: 'badvalue',
  not_found: 'missingtitle',
  page_exists: 'articleexists',
  name_taken: 'userexists',
  edit_conflict: 'editconflict',
  too_large: 'contenttoobig',
  unauthorized: 'permissiondenied',
  forbidden: 'permissiondenied',
  bad_csrf: 'badtoken',
  rate_limited: 'ratelimited',
  session_changed: 'assertuserfailed',
  busy: 'readonly',
  unknown_action: 'badvalue',
};

/** The Action API error for anything a module threw; undefined for what is not the wiki's (a bug: a 500). */
export function apiErrorOf(e: unknown): ApiError | undefined {
  if (e instanceof ApiError) return e;
  if (e instanceof BlockedError) return new ApiError('blocked', e.message);
  if (e instanceof WikiError) return new ApiError(CODES[e.code] ?? e.code, e.message);
  return undefined;
}
