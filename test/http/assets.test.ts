import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { makeTestApp } from '../helpers/app.js';
import { assetUrl } from '../../server/http/assets.js';
import { STATIC_DIR } from '../../server/paths.js';

const HTMX = join(createRequire(import.meta.url).resolve('htmx.org/package.json'), '..', 'dist', 'htmx.min.js');
const YEAR = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, max-age=300, must-revalidate';
const sha12 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);

const ASSETS = [
  { name: 'the stylesheet', file: 'peerwiki.css', path: join(STATIC_DIR, 'peerwiki.css'), type: /text\/css/ },
  { name: 'the script', file: 'peerwiki.js', path: join(STATIC_DIR, 'peerwiki.js'), type: /javascript/ },
  { name: 'htmx from node_modules', file: 'htmx.min.js', path: HTMX, type: /application\/javascript/ },
  { name: 'the favicon', file: 'favicon.svg', path: join(STATIC_DIR, 'favicon.svg'), type: /image\/svg\+xml/ },
];

describe('assetUrl', () => {
  it.each(ASSETS)('fingerprints $name with the first 12 hex digits of its SHA-256', ({ file, path }) => {
    expect(assetUrl(file)).toBe(`/static/${file}?v=${sha12(path)}`);
  });

  it('gives a file it does not know a fingerprint that never matches', () => {
    expect(assetUrl('other.css')).toBe('/static/other.css?v=none');
  });
});

describe('serving assets', () => {
  it('links every asset from the layout by its fingerprinted URL', async () => {
    const { app } = makeTestApp();
    const html = (await request(app).get('/wiki/Main_Page')).text;
    for (const { file } of ASSETS) expect(html).toContain(assetUrl(file));
  });

  it.each(ASSETS)('serves $name at its URL, cached for a year, with its bytes and type', async ({ file, path, type }) => {
    const { app } = makeTestApp();
    const res = await request(app).get(assetUrl(file)).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(YEAR);
    expect(res.headers['content-type']).toMatch(type);
    expect(Buffer.compare(res.body as Buffer, readFileSync(path))).toBe(0);
  });

  it.each([
    { name: 'no fingerprint', url: '/static/peerwiki.css' },
    { name: 'an old fingerprint', url: '/static/peerwiki.css?v=000000000000' },
    { name: 'an empty fingerprint', url: '/static/peerwiki.css?v=' },
    { name: 'the fingerprint given twice', url: `${assetUrl('peerwiki.css')}&v=${assetUrl('peerwiki.css').split('=')[1]}` },
    { name: 'another file\'s fingerprint', url: `/static/peerwiki.js?v=${assetUrl('peerwiki.css').split('=')[1]}` },
    { name: 'htmx with no fingerprint', url: '/static/htmx.min.js' },
  ])('must revalidate with $name', async ({ url }) => {
    const { app } = makeTestApp();
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe(REVALIDATE);
  });

  it.each([
    { name: 'a missing file', url: '/static/missing.css' },
    { name: 'a missing file with a fingerprint', url: '/static/missing.css?v=none' },
    { name: 'the folder itself (no index)', url: '/static/' },
    { name: 'a path out of the folder', url: '/static/..%2Fpackage.json' },
  ])('answers 404 for $name', async ({ url }) => {
    const { app } = makeTestApp();
    const res = await request(app).get(url);
    expect(res.status).toBe(404);
    expect(res.headers['cache-control']).not.toBe(YEAR);
    expect(res.text).not.toContain('"peerwiki"'); // package.json never comes back
  });

  it('redirects /favicon.ico to the fingerprinted icon', async () => {
    const { app } = makeTestApp();
    const res = await request(app).get('/favicon.ico');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(assetUrl('favicon.svg'));
  });
});
