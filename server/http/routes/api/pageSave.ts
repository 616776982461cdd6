/**
 * The API's page save (POST /api/v1/page, PUT /api/v1/page/{T}), as one function that both the
 * Express route (pages.ts) and the save lane before Express (http/apiSaveLane.ts) run, so the two
 * cannot answer differently.
 */
import type { Response } from 'express';
import type { RouteDeps } from '../../deps.js';
import type { ActRequest } from '../../act.js';
import { flag, latestId, text, type Body } from '../../input.js';
import { conflictJson, pageJson } from '../../present.js';
import { saveEditAsync } from '../../../wiki/edit.js';
import { EditConflictError, InvalidInputError } from '../../../wiki/errors.js';
import type { Title } from '../../../wiki/title.js';

/** A JSON answer to send. */
export interface ApiAnswer {
  status: number;
  json: unknown;
}

/**
 * Create (`mode` 'create') or update a page: 201 or 200 with the page, 409 with both texts on a
 * conflict (nothing was saved then).
 * @throws WikiError for a refusal or bad input (the error handler's answer), or what the save throws.
 */
export async function saveFromApi(
  deps: Pick<RouteDeps, 'stores' | 'workers' | 'act'>,
  req: ActRequest,
  res: Response | undefined,
  title: Title,
  body: Body,
  mode: 'create' | 'update',
): Promise<ApiAnswer> {
  req.can.require('edit', title);
  const baseId = mode === 'create' ? null : latestId(body.latest);
  if (body.minor !== undefined && typeof body.minor !== 'boolean') throw new InvalidInputError('minor must be true or false.');
  try {
    const result = await deps.act(req, res, { save: true }, ({ actor, ip }) => saveEditAsync(deps.stores, deps.workers, {
      title,
      source: text('source', body.source, { required: true }),
      comment: text('comment', body.comment),
      minor: flag(body.minor),
      baseId,
      actor,
      ip: ip ?? null,
      mode,
      sign: true,
    }));
    return {
      status: result.created ? 201 : 200,
      json: {
        ...pageJson(result.page, result.revision, result.text),
        ...(result.merged ? { merged: true } : {}),
        ...(result.status === 'nochange' ? { nochange: true } : {}),
      },
    };
  } catch (e) {
    if (!(e instanceof EditConflictError)) throw e;
    return { status: 409, json: conflictJson(e) };
  }
}
