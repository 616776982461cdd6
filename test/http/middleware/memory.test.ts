/** memoryRelief: one collection after big requests have stopped for a moment, none for small ones. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BIG_BYTES, memoryRelief, QUIET_MS } from '../../../server/http/middleware/memory.js';

function app(collect: () => void) {
  const a = express();
  a.use(memoryRelief(collect));
  a.post('/echo', express.text({ limit: '2mb' }), (req, res) => {
    res.type('text').send(`got ${String(req.body).length}`);
  });
  a.get('/big', (_req, res) => {
    res.type('text').send('x'.repeat(BIG_BYTES));
  });
  a.get('/small', (_req, res) => {
    res.type('text').send('small');
  });
  return a;
}

const settle = () => new Promise((r) => setTimeout(r, QUIET_MS + 300));

describe('memoryRelief', () => {
  it('collects once after a run of big requests and bodies, and never for small ones', async () => {
    let collections = 0;
    const a = app(() => {
      collections += 1;
    });
    await request(a).get('/small');
    await request(a).post('/echo').type('text').send('small');
    await settle();
    expect(collections).toBe(0);
    await request(a).post('/echo').type('text').send('y'.repeat(BIG_BYTES));
    await request(a).get('/big');
    await request(a).post('/echo').type('text').send('y'.repeat(BIG_BYTES));
    expect(collections).toBe(0);
    await settle();
    expect(collections).toBe(1);
  });

  it('does nothing where the process cannot collect (no --expose-gc)', async () => {
    const a = express();
    a.use(memoryRelief(undefined));
    a.get('/big', (_req, res) => {
      res.type('text').send('x'.repeat(BIG_BYTES));
    });
    expect((await request(a).get('/big')).status).toBe(200);
  });
});
