import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';

describe('loadConfig', () => {
  it('has the defaults of SPEC section 1', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000, host: '127.0.0.1', dbFile: 'data/wiki.db', jwtSecret: undefined, anonEdits: true, seed: true,
      saveLimit: 30, signupLimit: 10, publicUrl: 'http://127.0.0.1:3000', secureCookies: false,
    });
  });

  it('reads every variable', () => {
    expect(loadConfig({ PORT: '0', HOST: '0.0.0.0', WIKI_DB: '/x.db', JWT_SECRET: 's'.repeat(32), WIKI_ANON_EDITS: 'false', WIKI_SEED: '0', WIKI_SAVE_LIMIT: '0', WIKI_SIGNUP_LIMIT: '5', WIKI_PUBLIC_URL: 'https://wiki.example/' }))
      .toMatchObject({ port: 0, host: '0.0.0.0', dbFile: '/x.db', anonEdits: false, seed: false, saveLimit: 0, signupLimit: 5, publicUrl: 'https://wiki.example', secureCookies: true });
  });

  it('reads image hosts as lower-case host-sources', () => {
    expect(loadConfig({ WIKI_EXTERNAL_IMAGES: ' Upload.Example.org, *.cdn.example:8443 ,*' }).externalImages).toEqual(['upload.example.org', '*.cdn.example:8443', '*']);
    expect(loadConfig({}).externalImages).toEqual([]);
  });

  it.each([
    { name: 'short JWT_SECRET', env: { JWT_SECRET: 'short' }, error: /JWT_SECRET must be at least 32 bytes/ },
    { name: 'bad PORT', env: { PORT: 'eighty' }, error: /PORT must be a whole number/ },
    { name: 'PORT out of range', env: { PORT: '70000' }, error: /PORT/ },
    { name: 'bad boolean', env: { WIKI_ANON_EDITS: 'sometimes' }, error: /WIKI_ANON_EDITS must be true or false/ },
    { name: 'bad public URL', env: { WIKI_PUBLIC_URL: 'ftp://x' }, error: /WIKI_PUBLIC_URL/ },
    { name: 'a CSP directive smuggled into image hosts', env: { WIKI_EXTERNAL_IMAGES: "a.org; script-src 'unsafe-inline'" }, error: /WIKI_EXTERNAL_IMAGES must list host names/ },
    { name: 'an image host given as a URL', env: { WIKI_EXTERNAL_IMAGES: 'https://a.org/' }, error: /WIKI_EXTERNAL_IMAGES/ },
  ])('refuses $name with a clear message', ({ env, error }) => {
    expect(() => loadConfig(env)).toThrow(error);
  });
});
