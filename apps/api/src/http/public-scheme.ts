import type { RequestHandler } from 'express';

/** A year, as browsers' preload lists ask; no includeSubDomains: the app may not own its siblings. */
const HSTS = 'max-age=31536000';

/**
 * Whether a request came over https, once, for the cookie and HSTS (API.md, "Abuse and identity").
 * PUBLIC_URL on https means it did, even when TLS ended before the proxy we see; else Express's own
 * answer, which believes X-Forwarded-Proto only from a proxy that TRUST_PROXY names.
 */
export function publicScheme(publicUrl: string | undefined): RequestHandler {
  const alwaysHttps = publicUrl !== undefined && new URL(publicUrl).protocol === 'https:';
  return (req, res, next) => {
    if (alwaysHttps) {
      Object.defineProperty(req, 'protocol', { value: 'https' });
      Object.defineProperty(req, 'secure', { value: true });
    }
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
