/** The security headers every answer carries (helmet), built once from the config, and the same headers as a fixed list. */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config.js';

/** Middleware setting the security headers: the content security policy, HSTS when cookies are secure, and helmet's other defaults. */
export function securityHeaders(config: Pick<Config, 'externalImages' | 'secureCookies'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Images only from the wiki and WIKI_EXTERNAL_IMAGES (SPEC section 3); the renderer turns
        // other images into links, and this stops any that slipped through from being fetched.
        // The entries are CSP host-sources already (host, *.host or *), as markdown/images.ts matches.
        imgSrc: ["'self'", 'data:', ...config.externalImages],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
}

/**
 * The headers `middleware` sets, as a name/value list, for answers made without Express (the API
 * save lane): the middleware is run once on a response that only records them. It must set the
 * same headers on every request, as securityHeaders does (no nonces, nothing read from the request).
 */
export function headersSetBy(middleware: RequestHandler): [string, string][] {
  const set = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
    },
  };
  let ran = false;
  middleware({} as never, recorder as never, () => {
    ran = true;
  });
  if (!ran) throw new Error('the security headers middleware did not finish synchronously');
  return [...set];
}
