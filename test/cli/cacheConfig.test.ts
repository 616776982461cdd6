import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import type { CliIo } from '../../server/cli/io.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => '', isTty: false };
  return { cli, out, err };
}

const VARNISHD = '/usr/sbin/varnishd';

describe('wiki cache-config', () => {
  it('prints a VCL for the configured HOST:PORT and public URL, and a summary on stderr', async () => {
    const { cli, out, err } = io({ HOST: '127.0.0.1', PORT: '3100', WIKI_PUBLIC_URL: 'https://wiki.example' });
    expect(await runCli(['cache-config', 'varnish'], cli)).toBe(0);
    const vcl = out.join('\n');
    expect(vcl).toMatch(/^vcl 4\.1;/);
    expect(vcl).toContain('.host = "127.0.0.1";');
    expect(vcl).toContain('.port = "3100";');
    expect(vcl).toContain('set req.http.Host = "wiki.example";');
    expect(vcl).toContain('pw_session=');
    expect(err).toEqual(['Varnish VCL for https://wiki.example, with the wiki at 127.0.0.1:3100 as its backend']);
  });

  it.each([
    { name: 'host and port', backend: '10.0.0.5:8080', host: '10.0.0.5', port: '8080' },
    { name: 'host name', backend: 'wiki-1.internal:3000', host: 'wiki-1.internal', port: '3000' },
    { name: 'IPv6 in brackets', backend: '[::1]:3000', host: '::1', port: '3000' },
  ])('--backend $name', async ({ backend, host, port }) => {
    const { cli, out } = io();
    expect(await runCli(['cache-config', 'varnish', '--backend', backend], cli)).toBe(0);
    expect(out.join('\n')).toContain(`.host = "${host}";`);
    expect(out.join('\n')).toContain(`.port = "${port}";`);
  });

  it('defaults to a loopback backend when the wiki listens on every interface', async () => {
    const { cli, out } = io({ HOST: '0.0.0.0', PORT: '3000' });
    expect(await runCli(['cache-config', 'varnish'], cli)).toBe(0);
    expect(out.join('\n')).toContain('.host = "127.0.0.1";');
  });

  it.each([
    { name: 'no kind', args: [], error: /missing the kind of cache/ },
    { name: 'unknown kind', args: ['nginx'], error: /unknown cache "nginx"; only varnish/ },
    { name: 'extra argument', args: ['varnish', 'more'], error: /unexpected "more"/ },
    { name: 'unknown option', args: ['varnish', '--port', '3'], error: /Unknown option '--port'/ },
    { name: 'backend without port', args: ['varnish', '--backend', '127.0.0.1'], error: /--backend must be HOST:PORT/ },
    { name: 'backend port out of range', args: ['varnish', '--backend', '127.0.0.1:70000'], error: /--backend must be HOST:PORT/ },
    { name: 'backend with a quote', args: ['varnish', '--backend', 'a"b:3000'], error: /not an address or host name/ },
    { name: 'backend on every interface', args: ['varnish', '--backend', '0.0.0.0:3000'], error: /use 127\.0\.0\.1/ },
    { name: 'backend without a value', args: ['varnish', '--backend'], error: /argument missing/ },
  ])('fails clearly on $name, exit 2, no VCL', async ({ args, error }) => {
    const { cli, out, err } = io();
    expect(await runCli(['cache-config', ...args], cli)).toBe(2);
    expect(err.join('\n')).toMatch(error);
    expect(err.join('\n')).toMatch(/usage: cache-config varnish/);
    expect(out).toEqual([]);
  });

  it('asks for --backend when PORT is 0 (any free port)', async () => {
    const { cli, err } = io({ PORT: '0' });
    expect(await runCli(['cache-config', 'varnish'], cli)).toBe(2);
    expect(err.join('\n')).toMatch(/PORT is 0.*--backend HOST:PORT/);
  });

  it.skipIf(!existsSync(VARNISHD))('prints a VCL that varnishd compiles', async () => {
    const { cli, out } = io({ PORT: '3000' });
    expect(await runCli(['cache-config', 'varnish'], cli)).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'peerwiki-vcl-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'wiki.vcl'), out.join('\n') + '\n');
    // -C compiles to C and exits (non-zero on any VCL error); -j none: no jail, which would drop to
    // the varnish user, who cannot read this private folder.
    expect(() => execFileSync(VARNISHD, ['-C', '-j', 'none', '-n', join(dir, 'n'), '-f', join(dir, 'wiki.vcl')], { stdio: 'pipe' })).not.toThrow();
  });
});
