import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /** This request's id, also answered as `X-Request-Id`. */
    id: string;
    /** A logger whose lines carry the request's id, method and path (made on first use). */
    log: Logger;
  }
}

/** Kept from a proxy when it looks like an id; anything else from outside is replaced. */
const GIVEN_ID = /^[\w.-]{1,64}$/;
const ROOT = Symbol('request logger');
const CHILD = Symbol('request child logger');
type Logged = IncomingMessage & { [ROOT]?: Logger; [CHILD]?: Logger };

/** Method, path and id only: headers carry cookies, bodies carry passwords and messages. */
const describe = (req: IncomingMessage & { originalUrl?: string }) => ({
  id: req.id,
  method: req.method,
  // Routers rewrite `url` to the path under their mount; the log names the path that was asked for.
  url: (req.originalUrl ?? req.url)?.split('?')[0],
});

/**
 * Request ids and one log line per `/api` request (ADR 047). Ids are this process's random prefix and
 * a counter: unique across replicas and restarts, without a random UUID per request. `req.log` is a
 * getter on Express's request prototype, so the child logger is built only for the rare request that
 * logs something of its own, not for every request as pino-http did.
 */
export function requestLog(logger: Logger, requestPrototype: object): RequestHandler {
  Object.defineProperty(requestPrototype, 'log', {
    configurable: true,
    get(this: Logged) {
      this[CHILD] ??= this[ROOT]!.child({ req: describe(this) });
      return this[CHILD];
    },
  });
  const prefix = randomBytes(6).toString('hex');
  let counter = 0;
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : `${prefix}-${(++counter).toString(36)}`;
    req.id = id;
    (req as Logged)[ROOT] = logger;
    res.setHeader('X-Request-Id', id);
    if (req.url.startsWith('/api')) {
      const start = performance.now();
      // 'close' comes once for every response, finished or cut short.
      res.once('close', () => {
        // At LOG_LEVEL=warn (and above) only 5xx lines are written: no record is built for the rest.
        if (res.statusCode < 500 && !logger.isLevelEnabled('info')) return;
        const fields = {
          req: describe(req),
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - start),
        };
        if (res.statusCode >= 500) logger.error(fields, 'request errored');
        else if (!res.writableFinished) logger.info(fields, 'request aborted');
        else logger.info(fields, 'request completed');
      });
    }
    next();
  };
}
