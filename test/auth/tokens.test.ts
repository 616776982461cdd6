import jwt from 'jsonwebtoken';
import { describe, expect, it, vi } from 'vitest';
import { TokenService, TOKEN_LIFETIME_SECONDS } from '../../server/auth/tokens.js';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from '../../server/auth/passwords.js';

const secret = 'x'.repeat(40);

describe('tokens', () => {
  const tokens = new TokenService(secret);

  it('issues HS256 tokens with exp 14 days ahead that verify to their claims', () => {
    const { token, expiresAt } = tokens.issue({ sub: 7, ver: 2 });
    expect(jwt.decode(token, { complete: true })!.header.alg).toBe('HS256');
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan((TOKEN_LIFETIME_SECONDS - 60) * 1000);
    expect(tokens.verify(token)).toEqual({ sub: 7, ver: 2 });
  });

  it.each([
    { name: 'alg none', token: () => jwt.sign({ ver: 0 }, '', { algorithm: 'none', subject: '1', expiresIn: 60 }) },
    { name: 'HS512', token: () => jwt.sign({ ver: 0 }, secret, { algorithm: 'HS512', subject: '1', expiresIn: 60 }) },
    { name: 'another secret', token: () => jwt.sign({ ver: 0 }, 'y'.repeat(40), { algorithm: 'HS256', subject: '1', expiresIn: 60 }) },
    { name: 'no exp', token: () => jwt.sign({ ver: 0, sub: '1' }, secret, { algorithm: 'HS256' }) },
    { name: 'expired', token: () => jwt.sign({ ver: 0, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { algorithm: 'HS256', subject: '1' }) },
    { name: 'garbage', token: () => 'not-a-token' },
  ])('refuses $name', ({ token }) => {
    expect(tokens.verify(token())).toBeUndefined();
  });

  it('refuses a token it has verified before once it expires', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const own = new TokenService(secret);
      const { token, expiresAt } = own.issue({ sub: 3, ver: 1 });
      expect(own.verify(token)).toEqual({ sub: 3, ver: 1 });
      vi.setSystemTime(expiresAt.getTime() - 1000);
      expect(own.verify(token)).toEqual({ sub: 3, ver: 1 });
      vi.setSystemTime(expiresAt.getTime());
      expect(own.verify(token)).toBeUndefined();
      // Nor does a tampered copy of a token it knows pass.
      vi.setSystemTime(expiresAt.getTime() - 1000);
      expect(own.verify(`${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a short secret at construction', () => {
    expect(() => new TokenService('short')).toThrow(/32 bytes/);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and a per-user salt', async () => {
    const a = hashPassword('correct horse battery');
    const b = hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('has a stand-in hash for missing accounts with a real hash\'s shape and cost, matching nothing', async () => {
    const real = hashPassword('correct horse battery');
    const shape = (h: string) => h.split('$').map((part, i) => (i >= 4 ? Buffer.from(part, 'base64').length : part));
    expect(shape(DUMMY_HASH)).toEqual(shape(real));
    for (const attempt of ['', 'correct horse battery', 'not a real password, only for timing']) {
      expect(await verifyPassword(attempt, DUMMY_HASH)).toBe(false);
    }
  });

  it('wants at least 10 characters', () => {
    expect(passwordProblem('123456789')).toMatch(/10 characters/);
    expect(passwordProblem('1234567890')).toBeUndefined();
  });
});

describe('Bearer clients', () => {
  it('get no CSRF cookie and need no CSRF token', async () => {
    const { makeTestApp, createUser, tokenFor } = await import('../helpers/app.js');
    const request = (await import('supertest')).default;
    const { app, wiki } = makeTestApp();
    const auth = `Bearer ${tokenFor(wiki, createUser(wiki))}`;
    const res = await request(app).post('/api/v1/page').set('authorization', auth).send({ title: 'T', source: 'x' });
    expect(res.status).toBe(201);
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('pw_csrf');
  });
});
