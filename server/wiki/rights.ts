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
  /** Whether the page acted on is the actor's own user talk page (where a blocked person may appeal). */
  ownTalk?: boolean;
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
  // A blocked person may still write on their own user talk page to appeal, unless the block says no.
  const appeal = right === 'edit' && ctx.ownTalk === true && ctx.block?.allowUsertalk === true;
  if (ctx.block && right !== 'register' && !appeal) return false;
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

/**
 * What a blocked person is told (SPEC section 11): why, until when, by whom, and how to appeal.
 * An autoblock names the block it comes from, not the address.
 */
export function blockMessage(actor: Actor | undefined, block: Block): string {
  const registered = actor !== undefined && actor.kind !== 'temp';
  const until = block.expiry ? `until ${readableTime(block.expiry)}` : 'with no end date';
  const why = block.reason ? `: ${block.reason}` : '';
  const what = block.parentId !== null
    ? `Your address is blocked automatically ${until}, because a blocked account edited from it recently${why}`
    : block.actorId !== null
      ? `You are blocked ${until}${why}`
      : `Editing from your address${block.anonOnly ? ' without an account' : ''} is blocked ${until}${why}`;
  const by = block.byName ? ` Blocked by ${block.byName}.` : '';
  const appeal = block.allowUsertalk && actor !== undefined
    ? ` You can still read every page, and you may appeal on your own talk page, User talk:${actor.name}.`
    : ' You can still read every page. To appeal, see Help:Blocking policy.';
  const login = block.anonOnly && !registered ? ' Logged-in users are not blocked: log in to edit.' : '';
  return `${what.replace(/([^.!?])$/, '$1.')}${by}${login}${appeal}`;
}

/** Why `right` is refused, in words that say what would allow it; undefined when allowed. */
export function refusal(actor: Actor | undefined, right: Right, ctx: RightsContext): { status: 401 | 403; message: string; blocked?: true } | undefined {
  if (can(actor, right, ctx)) return undefined;
  const registered = actor !== undefined && actor.kind !== 'temp';
  if (ctx.block && (!ADMIN_ONLY.has(right) || (registered && actor.role === 'admin'))) {
    if (right === 'register') {
      const until = ctx.block.expiry ? `until ${readableTime(ctx.block.expiry)}` : 'with no end date';
      return { status: 403, message: `You are blocked from creating accounts from this address ${until}${ctx.block.reason ? `: ${ctx.block.reason}` : ''}. You can still read every page.` };
    }
    return { status: 403, message: blockMessage(actor, ctx.block), blocked: true };
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
