import { describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { clientAddress } from '../../../server/http/middleware/clientAddress.js';

// supertest connects from the loopback address.
function ipApp(trusted: string[]) {
  const app = express();
  app.use(clientAddress(trusted));
  app.get('/', (req, res) => res.send(req.ip));
  return app;
}

describe('clientAddress', () => {
  it.each([
    { name: 'no proxy trusted: the peer, header ignored', trusted: [], xff: '203.0.113.9', want: '127.0.0.1' },
    { name: 'a trusted proxy: the address it reports', trusted: ['127.0.0.1'], xff: '203.0.113.9', want: '203.0.113.9' },
    { name: 'a trusted range', trusted: ['127.0.0.0/8'], xff: '203.0.113.9', want: '203.0.113.9' },
    { name: 'the last untrusted address of a chain', trusted: ['127.0.0.1', '10.0.0.0/8'], xff: '198.51.100.1, 203.0.113.9, 10.0.0.2', want: '203.0.113.9' },
    { name: 'canonical form (leading zeros)', trusted: ['127.0.0.1'], xff: '203.0.113.009', want: '203.0.113.9' },
    { name: 'a trusted proxy without the header: the peer', trusted: ['127.0.0.1'], xff: undefined, want: '127.0.0.1' },
  ])('$name', async ({ trusted, xff, want }) => {
    const r = request(ipApp(trusted)).get('/');
    expect((await (xff === undefined ? r : r.set('x-forwarded-for', xff))).text).toBe(want);
  });

  it('fails at start-up on an entry that is no address', () => {
    expect(() => clientAddress(['not-an-ip'])).toThrow(/not-an-ip/);
  });
});
