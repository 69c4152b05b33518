import type { Request, RequestHandler } from 'express';

const MOUNT = Symbol('mount pattern');
const MATCHED = Symbol('matched route');
type Patterned = Request & { [MOUNT]?: string; [MATCHED]?: string };

/**
 * `handler` (a router) mounted at `path`, remembering the mount's pattern (`/conversations/:id`, not
 * `/conversations/42`): Express keeps only the matched URL in `req.baseUrl`, so without this a route's
 * full pattern cannot be known. Every `use` of a router in the app goes through here.
 */
export function mounted(path: string, handler: RequestHandler): [string, RequestHandler] {
  return [
    path,
    (req, res, next) => {
      const r = req as Patterned;
      const outer = r[MOUNT] ?? '';
      r[MOUNT] = outer + path;
      handler(req, res, (err?: unknown) => {
        // A route that matched and then failed: its error is answered outside this router.
        if (r.route && r[MATCHED] === undefined) r[MATCHED] = patternOf(r);
        r[MOUNT] = outer;
        next(err);
      });
    },
  ];
}

function patternOf(req: Patterned): string | undefined {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? (req[MOUNT] ?? '') + path : undefined;
}

/**
 * The pattern of the route that handled the request (`/api/conversations/:id/messages`), or undefined
 * when no route with a string path matched (a 404, the SPA's files, a request refused before routing).
 */
export function matchedRoute(req: Request): string | undefined {
  const r = req as Patterned;
  return r[MATCHED] ?? patternOf(r);
}
