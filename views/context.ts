/** What every page template needs to know about the request it renders for. */
import type { Actor, Block } from '../server/wiki/types.js';
import type { Right } from '../server/wiki/rights.js';
import type { Title } from '../server/wiki/title.js';
import type { Alerts } from '../server/wiki/notifications.js';

/** The fingerprinted URLs of the static files every page loads. */
export interface AssetUrls {
  css: string;
  /** The print stylesheet: for paper, and for the screen with ?printable=yes. */
  print: string;
  js: string;
  htmx: string;
  favicon: string;
}

export interface ViewContext {
  actor?: Actor;
  /** The CSRF token for a form; reading it gives an anonymous browser its CSRF cookie, so only forms read it. */
  readonly csrfToken: string;
  /** Whether something on this page has read csrfToken (it holds a form). */
  tokenMade: () => boolean;
  /** The request path, to come back to after login. */
  path: string;
  /** WIKI_ANON_EDITS: whether saving without an account is possible at all. */
  anonEdits: boolean;
  /** Whether a page has this title: a tab to a missing page is a red link. */
  exists?: (title: Title) => boolean;
  /** Whether the viewer may do `right` (on `page`): templates ask this, never the viewer's role. */
  can: (right: Right, page?: Title) => boolean;
  assets: AssetUrls;
  /** The block in force on the viewer, if any: pages refusing an edit say why and how to appeal. */
  readonly block?: Block;
  /** What the header tells a signed-in or temporary account (new messages, unread notifications); read only when shown. */
  readonly alerts?: Alerts;
}
