/** htmx acts name the account whose page they were clicked on; a different account now is refused. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '../wiki/types.js';
import { WikiError } from '../wiki/errors.js';

/** The header every htmx request carries (layout.ts puts it on <body hx-headers>): the viewer's id, 0 when not logged in. */
export const ACTOR_HEADER = 'X-Wiki-Actor';

/**
 * Refuse an htmx act clicked on a page rendered for another account (a log-in or log-out in another
 * tab since): the reader must see who would act before anything is done in their name. A page
 * rendered for nobody may act as the temporary account made since: both are the same anonymous reader.
 * Requests without the header (no-JS forms, API clients) are not affected: their form was shown to
 * the current account or they name their own credentials.
 * @throws WikiError 'session_changed'.
 */
export function requireSameActor(req: { actor?: Actor; headers: IncomingHttpHeaders }): void {
  const header = req.headers[ACTOR_HEADER.toLowerCase()];
  const sent = Array.isArray(header) ? header.join(', ') : header;
  if (sent === undefined) return;
  const now = req.actor?.id ?? 0;
  if (String(now) === sent) return;
  if (sent === '0' && req.actor?.kind === 'temp') return;
  const who = req.actor && req.actor.kind !== 'temp' ? `logged in as ${req.actor.name}` : 'not logged in';
  throw new WikiError('session_changed', `This page was shown to another account; you are now ${who}. Nothing was changed: check the action below, then confirm it.`);
}
