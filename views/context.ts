/** What every page template needs to know about the request it renders for. */
import type { Actor } from '../server/wiki/types.js';

export interface ViewContext {
  actor?: Actor;
  csrfToken: string;
  /** The request path, to come back to after login. */
  path: string;
  anonEdits: boolean;
}
