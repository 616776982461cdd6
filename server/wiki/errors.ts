/** Domain errors with stable codes; the HTTP error handler maps each code to a status. */
import type { MergeRegion } from './merge.js';

export type ErrorCode =
  | 'invalid_title'
  | 'invalid_input'
  | 'invalid_json'
  | 'not_found'
  | 'page_exists'
  | 'name_taken'
  | 'edit_conflict'
  | 'too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'bad_csrf'
  | 'rate_limited'
  | 'session_changed'
  | 'busy'
  | 'unknown_action';

const STATUS: Record<ErrorCode, number> = {
  invalid_title: 400,
  invalid_input: 400,
  invalid_json: 400,
  unknown_action: 400,
  unauthorized: 401,
  forbidden: 403,
  bad_csrf: 403,
  not_found: 404,
  page_exists: 409,
  name_taken: 409,
  edit_conflict: 409,
  session_changed: 409,
  too_large: 413,
  rate_limited: 429,
  busy: 503,
};

/** A failure the user can act on: its message says what to fix. Never carries internals. */
export class WikiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'WikiError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export class InvalidTitleError extends WikiError {
  constructor(message: string) {
    super('invalid_title', message);
  }
}

export class NotFoundError extends WikiError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class InvalidInputError extends WikiError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

export class PageExistsError extends WikiError {
  constructor(title: string) {
    super('page_exists', `The page "${title}" already exists; edit it instead, naming the revision you started from.`);
  }
}

/**
 * Two edits overlap. Carries everything needed to show both texts and resolve them, from the one
 * merge the domain made (base `baseId`, `mine`, `current`); nothing was saved.
 */
export class EditConflictError extends WikiError {
  constructor(
    readonly baseId: number | null,
    readonly current: { id: number; source: string },
    /** The whole text the editor wanted to save (their section spliced into their base). */
    readonly mine: string,
    /** That merge's regions: unchanged or one-sided lines, and the overlapping ones with both sides' lines. */
    readonly regions: MergeRegion[],
  ) {
    super('edit_conflict', 'Someone else changed this page since you started editing, and the two edits overlap. Nothing was saved.');
  }
}

export class TooLargeError extends WikiError {
  constructor(message: string) {
    super('too_large', message);
  }
}

export class RateLimitedError extends WikiError {
  constructor(message: string, readonly retryAfter: number) {
    super('rate_limited', message);
  }
}

/** Refused because of a block (rights.ts blockMessage): pages show the block's facts and how to appeal. */
export class BlockedError extends WikiError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
