/** Session tokens: HS256 JWTs with exp and a token version for revocation; the algorithm is pinned. */
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const TOKEN_LIFETIME_SECONDS = 14 * 24 * 3600;

export interface TokenClaims {
  /** Account id. */
  sub: number;
  /** The account's token version when issued; a logout or password change bumps it. */
  ver: number;
}

export class TokenService {
  // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to read it
  // as a public key on every verify, which costs ~40 times the HMAC itself.
  private readonly secret: KeyObject;

  /** @throws at start-up when the secret is too short. */
  constructor(secret: string) {
    if (Buffer.byteLength(secret, 'utf8') < 32) throw new Error('token secret must be at least 32 bytes');
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  issue(claims: TokenClaims): { token: string; expiresAt: Date } {
    const token = jwt.sign({ ver: claims.ver }, this.secret, {
      algorithm: 'HS256',
      subject: String(claims.sub),
      expiresIn: TOKEN_LIFETIME_SECONDS,
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid, unexpired token; undefined for any failure (one answer for every failure). */
  verify(token: string): TokenClaims | undefined {
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: ['HS256'] });
      if (typeof payload !== 'object' || typeof payload.exp !== 'number') return undefined;
      const sub = Number(payload.sub);
      const ver = (payload as { ver?: unknown }).ver;
      if (!Number.isSafeInteger(sub) || sub <= 0 || typeof ver !== 'number') return undefined;
      return { sub, ver };
    } catch {
      return undefined;
    }
  }
}
