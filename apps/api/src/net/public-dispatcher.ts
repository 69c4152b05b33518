import { Agent, buildConnector, request } from 'undici';
import {
  BlockedAddressError,
  type GuardOptions,
  literalBlocked,
  peerBlocked,
  publicOnlyLookup,
} from './guarded-connect.ts';

// Apart from guarded-connect.ts because undici is loaded on the first link preview, not at start-up (ADR 047).
// Its `request` leaves through this module too: a bundled `import('undici')` would only have a default export.
export { request };

/**
 * An undici dispatcher that connects only to public unicast addresses (link previews). Redirects are
 * the caller's business: each hop is a new request through this same dispatcher.
 */
export function createPublicDispatcher({ isAllowed, connectTimeoutMs = 3_000 }: GuardOptions = {}): Agent {
  const guarded = buildConnector({ timeout: connectTimeoutMs, lookup: publicOnlyLookup });
  const open = buildConnector({ timeout: connectTimeoutMs });
  return new Agent({
    connect(options, callback) {
      if (isAllowed?.(options.hostname, options.port)) return open(options, callback);
      if (literalBlocked(options.hostname)) return callback(new BlockedAddressError(options.hostname), null);
      guarded(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        if (peerBlocked(socket)) {
          socket.destroy();
          return callback(new BlockedAddressError(options.hostname), null);
        }
        callback(null, socket);
      });
    },
  });
}
