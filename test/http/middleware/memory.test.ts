/** memoryRelief: one relief after big requests have stopped for a moment, none for small ones. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BIG_BYTES, memoryRelief } from '../../../server/http/middleware/memory.js';
import { MemoryRelief, QUIET_MS } from '../../../server/memory.js';

function app(relief: MemoryRelief) {
  const a = express();
  a.use(memoryRelief(relief));
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
  it('relieves once after a run of big requests and bodies, and never for small ones', async () => {
    let reliefs = 0;
    const a = app(
      new MemoryRelief({ collect: () => (reliefs += 1), trim: () => {}, isIdle: () => true }),
    );
    await request(a).get('/small');
    await request(a).post('/echo').type('text').send('small');
    await settle();
    expect(reliefs).toBe(0);
    await request(a).post('/echo').type('text').send('y'.repeat(BIG_BYTES));
    await request(a).get('/big');
    await request(a).post('/echo').type('text').send('y'.repeat(BIG_BYTES));
    expect(reliefs).toBe(0);
    await settle();
    expect(reliefs).toBe(1);
  });
});
