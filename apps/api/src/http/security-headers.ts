import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers, worked out once at start-up rather than rebuilt for every response (ADR 047):
 * none of them depends on the request (no CSP nonces), so helmet is run once against a stand-in
 * response and what it set is copied onto each real one. `inlineScripts` are CSP sources (`'sha256-…'`)
 * of the inline scripts of the page the API serves (inlineScriptHashes).
 */
export function securityHeaders(options: { inlineScripts?: readonly string[] } = {}): RequestHandler {
  const headers = new Map<string, string>();
  const standIn = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  } as unknown as ServerResponse;
  helmet({
    // Plain http on localhost must keep working; TLS is the reverse proxy's business.
    // The web app's own inline script (its early requests, ADR 059) runs by its hash; no other inline script.
    contentSecurityPolicy: {
      directives: { 'upgrade-insecure-requests': null, 'script-src': ["'self'", ...(options.inlineScripts ?? [])] },
    },
    // Sent by publicScheme, only when the request really came over https.
    strictTransportSecurity: false,
  })({} as never, standIn as never, (err?: unknown) => {
    if (err) throw err;
  });
  if (headers.size === 0) throw new Error('helmet set no headers on the stand-in response');
  return (_req, res, next) => {
    res.setHeaders(headers);
    next();
  };
}
