/** `wiki cache-config varnish [--backend HOST:PORT]`: prints the VCL for a Varnish cache in front of this wiki (SPEC sections 7 and 9). */
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import type { Config } from '../config.js';
import { varnishVcl } from '../cache/vcl.js';
import { SESSION_COOKIE } from '../http/middleware/session.js';
import { CSRF_COOKIE } from '../http/middleware/csrf.js';
import { CliError, type CliIo } from './io.js';

const USAGE = 'cache-config varnish [--backend HOST:PORT]';

/**
 * The VCL goes to standard output (to redirect into a file), the one-line summary to standard error.
 * @throws CliError for a missing or unknown cache kind, a bad --backend, or no port to default to (exit 2).
 */
export function cacheConfigCommand(config: Config, args: string[], io: CliIo): number {
  const { kind, backend } = parse(args);
  if (kind !== 'varnish') throw new CliError(`unknown cache "${kind}"; only varnish is supported.\nusage: ${USAGE}`);
  const { host, port } = backend === undefined ? defaultBackend(config) : parseBackend(backend);
  let vcl: string;
  try {
    vcl = varnishVcl({ backendHost: host, backendPort: port, sessionCookie: SESSION_COOKIE, csrfCookie: CSRF_COOKIE, publicHost: new URL(config.publicUrl).host });
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`${e.message}\nusage: ${USAGE}`);
    throw e;
  }
  io.out(vcl.trimEnd());
  io.err(`Varnish VCL for ${config.publicUrl}, with the wiki at ${hostPort(host, port)} as its backend`);
  return 0;
}

function parse(args: string[]): { kind: string; backend: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { backend: { type: 'string' } } });
  } catch (e) {
    throw new CliError(`${(e as Error).message.split('. ')[0]}.\nusage: ${USAGE}`);
  }
  const [kind, extra] = parsed.positionals;
  if (kind === undefined) throw new CliError(`missing the kind of cache (varnish).\nusage: ${USAGE}`);
  if (extra !== undefined) throw new CliError(`unexpected "${extra}".\nusage: ${USAGE}`);
  return { kind, backend: parsed.values.backend };
}

/** HOST:PORT or [IPv6]:PORT. @throws CliError saying what the form is. */
function parseBackend(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new CliError(`--backend must be HOST:PORT (e.g. 127.0.0.1:3000, or [::1]:3000), not "${text}".\nusage: ${USAGE}`);
  }
  return { host: m[1] ?? m[2]!, port };
}

/** HOST:PORT of the config, with an address to connect to where HOST is one to listen on (0.0.0.0, ::). */
function defaultBackend(config: Config): { host: string; port: number } {
  if (config.port === 0) {
    throw new CliError(`PORT is 0 (any free port), so the wiki's port is not known here; give it with --backend HOST:PORT.\nusage: ${USAGE}`);
  }
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return { host, port: config.port };
}

function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
