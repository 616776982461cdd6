/** What the middleware attaches to each request, typed once for every route. */
import type { Actor } from '../wiki/types.js';
import type { Can } from './can.js';
import type { Title } from '../wiki/title.js';
import type { Alerts } from '../wiki/notifications.js';

export type AuthVia = 'bearer' | 'cookie' | 'none';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in (or temporary) account, if any. */
    actor?: Actor;
    /** How the actor was identified. */
    authVia: AuthVia;
    /**
     * This browser's CSRF token (for forms and the csrf-token meta tag), made on first read: reading
     * it sets the CSRF cookie when the browser has none, so only pages holding a form read it.
     */
    csrfToken: string;
    /** Whether this response has read csrfToken (its page holds a form). */
    csrfMade: () => boolean;
    /**
     * Set when a form post that keeps its words (csrf.ts `keepsForm`: the edit form) came without a
     * valid CSRF token: the route must change nothing and show the form again with the text.
     */
    csrfRefused?: Error;
    /** What the actor may do (can.ts), set by the first middleware. */
    can: Can;
    /** The actor's alerts (new messages, unread notifications), looked up once when first asked; undefined for nobody. */
    alerts: () => Alerts | undefined;
    /** Whether a page has this title (for tabs: a missing talk page's tab is a red link). */
    pageExists: (title: Title) => boolean;
  }
}

export {};
