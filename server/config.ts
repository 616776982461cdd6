/** Reads and checks the environment once, at start-up, into a frozen Config (SPEC section 1). */
import { availableParallelism } from 'node:os';
import { parseCidr } from './wiki/address.js';

export interface Config {
  port: number;
  host: string;
  dbFile: string;
  /** undefined: use the secret generated once and kept in the database. */
  jwtSecret: string | undefined;
  anonEdits: boolean;
  seed: boolean;
  /** Saves a minute for temporary accounts and new users; 0 is no limit. */
  saveLimit: number;
  /** New accounts an hour from one IP address; 0 is no limit. */
  signupLimit: number;
  publicUrl: string;
  /** Whether cookies get the Secure flag (the public URL is https). */
  secureCookies: boolean;
  /** WIKI_TRUSTED_PROXIES: addresses or CIDR ranges whose X-Forwarded-For is believed (SPEC section 6). */
  trustedProxies: readonly string[];
  /** WIKI_EXTERNAL_IMAGES: host names whose images pages may show; `*` for any (SPEC section 3). */
  externalImages: readonly string[];
  /** WIKI_WORKERS: processes serving requests over the one database (SPEC section 9); 1 is a single process. */
  workers: number;
  /** WIKI_PURGE_URLS: base URLs of HTTP caches that get a PURGE for every URL a change makes stale, without a trailing slash. */
  purgeUrls: readonly string[];
  /** WIKI_SMTP_URL: where the wiki's mail goes (password resets, notifications); undefined: the wiki sends no mail. */
  smtpUrl: string | undefined;
  /** WIKI_MAIL_FROM: the sender of the wiki's mail. */
  mailFrom: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(v)) return true;
  if (/^(false|0|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, not "${v}".`);
}

/** A comma-separated list, trimmed, empty items dropped. */
function list(env: Env, name: string): readonly string[] {
  return Object.freeze((env[name] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== ''));
}

/** WIKI_TRUSTED_PROXIES in canonical form; any width of range, since it names our own proxies. */
// A host, *.host or * with an optional port: what the renderer matches and what CSP's img-src takes.
const IMAGE_HOST = /^(?:\*|(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?)$/;

/** WIKI_EXTERNAL_IMAGES, lower-cased; each entry goes into the CSP header, so only host names pass. */
function externalImages(env: Env): readonly string[] {
  const hosts = list(env, 'WIKI_EXTERNAL_IMAGES').map((h) => h.toLowerCase());
  const bad = hosts.find((h) => !IMAGE_HOST.test(h));
  if (bad !== undefined) {
    throw new ConfigError(`WIKI_EXTERNAL_IMAGES must list host names (upload.example.org, *.example.org or *), not "${bad}".`);
  }
  return Object.freeze(hosts);
}

function purgeUrls(env: Env): readonly string[] {
  return Object.freeze(list(env, 'WIKI_PURGE_URLS').map((entry) => {
    if (!/^http:\/\/[^\s/?#]+\/?$/.test(entry)) {
      throw new ConfigError(`WIKI_PURGE_URLS: "${entry}" is not the base URL of an HTTP cache; list them as http://HOST:PORT, separated by commas (PURGE goes over plain HTTP, as Varnish takes it).`);
    }
    return entry.replace(/\/$/, '');
  }));
}

function trustedProxies(env: Env): readonly string[] {
  return Object.freeze(list(env, 'WIKI_TRUSTED_PROXIES').map((entry) => {
    const r = parseCidr(entry);
    if (!r) throw new ConfigError(`WIKI_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range; list the addresses or ranges of your reverse proxies, separated by commas, e.g. 127.0.0.1,::1,10.0.0.0/8.`);
    return r.text;
  }));
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  }
  return Number(v);
}

/** WIKI_SMTP_URL: an smtp:// or smtps:// URL (user and password in it, as nodemailer takes them), or unset. */
function smtpUrl(env: Env): string | undefined {
  const v = env.WIKI_SMTP_URL?.trim();
  if (!v) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || !/^smtps?:$/.test(url.protocol) || url.hostname === '') {
    throw new ConfigError('WIKI_SMTP_URL must be an SMTP server URL such as smtp://user:pass@mail.example:587 (or smtps:// for TLS from the start); unset it to send no mail.');
  }
  return v;
}

/** @throws ConfigError with a message naming the variable and what it must be. */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const jwtSecret = env.JWT_SECRET || undefined;
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret, 'utf8') < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes long; use a long random string, or unset it to use a generated one.');
  }
  const publicUrl = (env.WIKI_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    throw new ConfigError(`WIKI_PUBLIC_URL must be an http:// or https:// URL, not "${publicUrl}".`);
  }
  return Object.freeze({
    port,
    host,
    dbFile: env.WIKI_DB || 'data/wiki.db',
    jwtSecret,
    anonEdits: bool(env, 'WIKI_ANON_EDITS', true),
    seed: bool(env, 'WIKI_SEED', true),
    saveLimit: int(env, 'WIKI_SAVE_LIMIT', 30, 0, 1_000_000),
    signupLimit: int(env, 'WIKI_SIGNUP_LIMIT', 10, 0, 1_000_000),
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    trustedProxies: trustedProxies(env),
    externalImages: externalImages(env),
    workers: int(env, 'WIKI_WORKERS', availableParallelism(), 1, 256),
    purgeUrls: purgeUrls(env),
    smtpUrl: smtpUrl(env),
    mailFrom: env.WIKI_MAIL_FROM || `Peerwiki <wiki@${new URL(publicUrl).hostname.replace(/^\[|\]$/g, '')}>`,
  });
}

/** The config tests use: in-memory database, no seeding, limits off unless a test turns them on. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({}), dbFile: ':memory:', seed: false, workers: 1, saveLimit: 0, signupLimit: 0, ...overrides });
}
