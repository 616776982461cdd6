/** Notifications (SPEC section 11): /special/notifications, its htmx panel, and GET /api/v1/me/notifications. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../deps.js';
import { isHtmx, pageContext, sendHtml } from '../views.js';
import { limit, optionalId, queryValue } from '../input.js';
import { notificationJson } from '../present.js';
import { WikiError } from '../../wiki/errors.js';
import { canWatch } from '../../wiki/watchlist.js';
import { markNotificationsRead, notificationsOf } from '../../wiki/notifications.js';
import { notificationsLoginPrompt, notificationsPage, notificationsPanel } from '../../../views/special/notifications.js';

/** How many the header's panel shows. */
const PANEL_SIZE = 8;

export function notificationRoutes({ stores }: RouteDeps): Router {
  const r = express.Router();

  // Looking is reading: the list is shown with what was unread marked, and then all of it is read.
  r.get('/special/notifications', (req, res) => {
    res.set('Cache-Control', 'private, no-store');
    if (!canWatch(req.actor)) return sendHtml(res, notificationsLoginPrompt(pageContext(req)), 401);
    const actor = req.actor;
    if (queryValue(req.query, 'panel') === '1' && isHtmx(req)) {
      const list = notificationsOf(stores, actor, { limit: PANEL_SIZE });
      markNotificationsRead(stores, actor);
      return sendHtml(res, notificationsPanel(list));
    }
    const size = limit(queryValue(req.query, 'limit'), 50, 500);
    const olderThan = optionalId('older_than', queryValue(req.query, 'older_than'));
    const list = notificationsOf(stores, actor, { beforeId: olderThan, limit: size });
    markNotificationsRead(stores, actor);
    // The header counts what is unread after this look: none.
    const ctx = { ...pageContext(req), alerts: { ...req.alerts(), unread: 0 } };
    sendHtml(res, notificationsPage(ctx, { ...list, limit: size, olderThanShown: olderThan }));
  });

  return r;
}

/** GET /api/v1/me/notifications: reading them through the API marks nothing read. */
export function notificationApi({ stores }: RouteDeps): Router {
  const r = express.Router();
  r.get('/me/notifications', (req, res) => {
    if (!canWatch(req.actor)) throw new WikiError('unauthorized', 'Log in with a registered account to get notifications: send the token as Authorization: Bearer, or the session cookie.');
    res.set('Cache-Control', 'private, no-store');
    const list = notificationsOf(stores, req.actor, {
      beforeId: optionalId('older_than', queryValue(req.query, 'older_than')),
      limit: limit(queryValue(req.query, 'limit'), 50, 500),
    });
    res.json({ notifications: list.items.map(notificationJson), unread: list.unread, ...(list.olderThan ? { older_than: list.olderThan } : {}) });
  });
  return r;
}
