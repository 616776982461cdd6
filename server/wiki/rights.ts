/** Who may do what: the single authorisation function (SPEC section 6). */
import type { Actor } from './types.js';

export type Right = 'read' | 'edit';

export interface RightsContext {
  /** WIKI_ANON_EDITS: whether people without an account may edit. */
  anonEdits: boolean;
}

/**
 * Whether `actor` (undefined: not logged in, no temporary account yet) may do `right`.
 * Temporary accounts edit only while anonymous editing is on.
 */
export function can(actor: Actor | undefined, right: Right, ctx: RightsContext): boolean {
  switch (right) {
    case 'read':
      return true;
    case 'edit':
      if (!actor || actor.kind === 'temp') return ctx.anonEdits;
      return true;
  }
}
