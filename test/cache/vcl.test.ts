import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { varnishVcl, type VclOptions } from '../../server/cache/vcl.js';

const VARNISHD = '/usr/sbin/varnishd';
const BASE: VclOptions = { backendHost: '127.0.0.1', backendPort: 3000, sessionCookie: 'pw_session', publicHost: 'wiki.example' };

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Compile with varnishd -C; returns its error output, '' when it compiled. */
function compile(vcl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerwiki-vcl-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'wiki.vcl'), vcl);
  try {
    execFileSync(VARNISHD, ['-C', '-j', 'none', '-n', join(dir, 'n'), '-f', join(dir, 'wiki.vcl')], { stdio: 'pipe' });
    return '';
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

describe('varnishVcl', () => {
  it('passes the session cookie and Authorization, drops other cookies, sets the Host, takes PURGE from the ACL', () => {
    const vcl = varnishVcl(BASE);
    expect(vcl).toMatch(/^vcl 4\.1;\n/);
    expect(vcl).toContain('if (req.http.Authorization || req.http.Cookie ~ "(^|;)\\s*pw_session=") {\n        return (pass);');
    expect(vcl).toContain('unset req.http.Cookie;');
    expect(vcl).toContain('set req.http.Host = "wiki.example";');
    expect(vcl).toMatch(/acl purgers \{\n {4}"127\.0\.0\.1";\n {4}"::1";\n\}/);
    expect(vcl).toContain('return (purge);');
    expect(vcl).not.toContain('pw_csrf');
  });

  it('lets the wiki purge from its own machine when that is another one', () => {
    expect(varnishVcl({ ...BASE, backendHost: '10.0.0.5' })).toMatch(/acl purgers \{[^}]*"10\.0\.0\.5";/);
  });

  it.each([
    { name: 'a quote in the host', o: { backendHost: 'a"b' }, error: /backend host/ },
    { name: 'a listening address', o: { backendHost: '0.0.0.0' }, error: /use 127\.0\.0\.1/ },
    { name: 'port 0', o: { backendPort: 0 }, error: /backend port/ },
    { name: 'a fractional port', o: { backendPort: 80.5 }, error: /backend port/ },
    { name: 'a cookie name with a space', o: { sessionCookie: 'pw session' }, error: /session cookie/ },
    { name: 'a CSRF cookie name with a quote', o: { csrfCookie: 'x"' }, error: /CSRF cookie/ },
    { name: 'a public host with a path', o: { publicHost: 'wiki.example/x' }, error: /public host/ },
  ])('refuses $name', ({ o, error }) => {
    expect(() => varnishVcl({ ...BASE, ...o })).toThrow(error);
  });

  it.skipIf(!existsSync(VARNISHD)).each([
    { name: 'defaults', o: {} },
    { name: 'IPv6 backend and CSRF cookie', o: { backendHost: '::1', csrfCookie: 'pw_csrf' } },
    { name: 'another machine, public host with port', o: { backendHost: '192.0.2.10', publicHost: 'wiki.example:8443' } },
  ])('compiles with varnishd: $name', ({ o }) => {
    expect(compile(varnishVcl({ ...BASE, ...o }))).toBe('');
  });
});
