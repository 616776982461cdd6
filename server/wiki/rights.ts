/** Who may do what (SPEC section 6): the single authorisation function, pure. */
import type { Actor, Block, Protection } from './types.js';

export type Right =
  | 'read'
  | 'edit'
  | 'move'
  | 'protect'
  | 'delete'
  | 'undelete'
  | 'block'
  | 'rollback'
  | 'patrol'
  | 'view-ip'
  | 'suppress-redirect'
  | 'register';

export interface RightsContext {
  /** WIKI_ANON_EDITS: whether people without an account may edit. */
  anonEdits: boolean;
  /** The protection in force on the page acted on, if any. */
  protection?: Protection;
  /** The block in force on the actor or their IP address, if any. */
  block?: Block;
}

/** Edits a registered user needs before moving pages. */
export const MOVE_MIN_EDITS = 10;

/** Rights of admins alone; `suppress-redirect` is moving a page without leaving a redirect behind. */
const ADMIN_ONLY = new Set<Right>(['protect', 'delete', 'undelete', 'block', 'rollback', 'patrol', 'view-ip', 'suppress-redirect']);
/** Admin rights a block does not take away: seeing what happened is not acting. */
const KEPT_WHEN_BLOCKED = new Set<Right>(['view-ip']);

/**
 * Whether `actor` (undefined: not logged in and no temporary account yet) may do `right` on the
 * page described by `ctx`. Temporary accounts count as anonymous.
 */
export function can(actor: Actor | undefined, right: Right, ctx: RightsContext): boolean {
  const registered = actor !== undefined && actor.kind !== 'temp';
  const admin = registered && actor.role === 'admin';
  if (right === 'read') return true;
  // A blocked admin loses the admin tools too while blocked (another admin lifts the block).
  if (ADMIN_ONLY.has(right)) return admin && (!ctx.block || KEPT_WHEN_BLOCKED.has(right));
  if (ctx.block && right !== 'register') return false;
  switch (right) {
    case 'register':
      return !ctx.block;
    case 'edit':
      if (ctx.protection?.level === 'full') return admin;
      if (ctx.protection?.level === 'semi') return registered;
      return registered || ctx.anonEdits;
    case 'move':
      if (admin) return true;
      return registered && !ctx.protection && actor.editCount >= MOVE_MIN_EDITS;
  }
  return false;
}

/** "2026-12-01 22:11 UTC" from an ISO time. */
function readableTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Why `right` is refused, in words that say what would allow it; undefined when allowed. */
export function refusal(actor: Actor | undefined, right: Right, ctx: RightsContext): { status: 401 | 403; message: string } | undefined {
  if (can(actor, right, ctx)) return undefined;
  const registered = actor !== undefined && actor.kind !== 'temp';
  if (ctx.block && (!ADMIN_ONLY.has(right) || (registered && actor.role === 'admin'))) {
    const until = ctx.block.expiry ? `until ${readableTime(ctx.block.expiry)}` : 'with no end date';
    return { status: 403, message: `You are blocked ${until}${ctx.block.reason ? `: ${ctx.block.reason}` : ''}. You can still read every page.` };
  }
  if (ADMIN_ONLY.has(right)) {
    return registered
      ? { status: 403, message: `Only admins may ${right.replace('-', ' ')}.` }
      : { status: 401, message: `Log in as an admin to ${right.replace('-', ' ')}.` };
  }
  if (right === 'edit' && ctx.protection) {
    const who = ctx.protection.level === 'full' ? 'admins' : 'registered users';
    const until = ctx.protection.expiry ? ` until ${readableTime(ctx.protection.expiry)}` : '';
    return { status: registered ? 403 : 401, message: `This page is protected${until}: only ${who} may edit it.${registered ? '' : ' Log in to edit.'}` };
  }
  if (right === 'edit') return { status: 401, message: 'Log in to edit: editing without an account is turned off on this wiki.' };
  if (right === 'move') {
    if (!registered) return { status: 401, message: 'Log in to move pages.' };
    return { status: 403, message: ctx.protection ? 'Only admins may move a protected page.' : `Moving pages needs ${MOVE_MIN_EDITS} edits first.` };
  }
  return { status: 403, message: 'Not allowed.' };
}
