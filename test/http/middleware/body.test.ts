import { describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { emptyBody, strictQuery, strictUtf8 } from '../../../server/http/middleware/body.js';
import { errorHandler } from '../../../server/http/middleware/errors.js';
import { authorisation } from '../../../server/http/can.js';
import { makeTestApp } from '../../helpers/app.js';

function bodyApp() {
  const { wiki } = makeTestApp();
  let ran = 0;
  const app = express();
  app.use(authorisation(wiki.stores, true));
  app.use(strictQuery);
  app.use('/api', express.json({ verify: strictUtf8 }), express.urlencoded({ extended: false, verify: strictUtf8 }), emptyBody);
  app.all('/api/echo', (req, res) => {
    ran++;
    res.json({ body: req.body, q: req.query });
  });
  app.use(errorHandler(() => {}));
  return { app, ran: () => ran };
}

describe('body rules', () => {
  it('gives a bare POST an empty body', async () => {
    const { app } = bodyApp();
    expect((await request(app).post('/api/echo')).body.body).toEqual({});
  });

  it.each([
    { name: 'a form body with a byte that is no UTF-8', type: 'application/x-www-form-urlencoded', bytes: Buffer.from([0x61, 0x3d, 0xff]) },
    { name: 'a JSON body with a byte that is no UTF-8', type: 'application/json', bytes: Buffer.from([0x22, 0xc3, 0x22]) },
  ])('refuses $name with 400, before the handler', async ({ type, bytes }) => {
    const { app, ran } = bodyApp();
    // serialize: send the bytes as they are (superagent would otherwise turn a Buffer into JSON).
    const res = await request(app).post('/api/echo').set('content-type', type).serialize((b: Buffer) => b as unknown as string).send(bytes);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid_input', message: 'The request body is not valid UTF-8.' });
    expect(ran()).toBe(0);
  });

  it.each([
    { name: 'a lone byte', q: 'q=%FF' },
    { name: 'a cut escape', q: 'q=%' },
    { name: 'an encoded surrogate', q: 'q=%ED%A0%80' },
  ])('refuses a query string with $name', async ({ q }) => {
    const { app, ran } = bodyApp();
    const res = await request(app).get(`/api/echo?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The query string is not valid percent-encoded UTF-8.');
    expect(ran()).toBe(0);
  });

  it('passes a good query string', async () => {
    const { app } = bodyApp();
    expect((await request(app).get('/api/echo?q=caf%C3%A9+au+lait')).body.q).toEqual({ q: 'café au lait' });
  });
});
