/** POST /api/v1/transform/markdown/to/html: render without saving. */
import express, { type Router } from 'express';
import type { RouteDeps } from '../../deps.js';
import { jsonBody, text } from '../../input.js';
import { renderSource } from '../../../wiki/pages.js';
import { parseTitle } from '../../../wiki/title.js';
import { TooLargeError } from '../../../wiki/errors.js';
import { MAX_SOURCE_BYTES, normalizeSource } from '../../../wiki/edit.js';
import { sendText } from '../../views.js';

export function transformApi({ stores, config, workers }: RouteDeps): Router {
  const r = express.Router();
  r.post('/transform/markdown/to/html', async (req, res) => {
    const body = jsonBody(req);
    const source = normalizeSource(text('source', body.source, { required: true }));
    if (Buffer.byteLength(source, 'utf8') > MAX_SOURCE_BYTES) throw new TooLargeError('source is over 1 MiB.');
    const title = body.title === undefined ? undefined : parseTitle(text('title', body.title));
    sendText(res.type('html'), await renderSource(stores, workers, source, title, config.externalImages));
  });
  return r;
}
