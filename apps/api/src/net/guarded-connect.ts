import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isPublicUnicast } from './public-address.ts';

/** What a guarded connection throws for an address it may not reach. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS';
  constructor(readonly host: string) {
    super(`${host} is not a public unicast address`);
  }
}

/**
 * A `dns.lookup` that answers only public unicast addresses. The connection is made to the address
 * this returns, so what was checked is what is connected to: a name that resolves to a public address
 * at the check and to 127.0.0.1 a moment later (DNS rebinding) has no moment in between.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const allowed = addresses.filter((entry) => isPublicUnicast(entry.address));
    if (allowed.length === 0) return callback(new BlockedAddressError(hostname), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    const first = allowed[0]!;
    callback(null, first.address, first.family);
  });
};

/** A literal IP never goes through a lookup, so it is checked on its own. */
export function literalBlocked(host: string): boolean {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  return isIP(bare) !== 0 && !isPublicUnicast(bare);
}

/** Belt and braces: the peer of the socket really connected. */
export function peerBlocked(socket: Socket): boolean {
  return socket.remoteAddress !== undefined && !isPublicUnicast(socket.remoteAddress);
}

export interface GuardOptions {
  /** Hosts (`host:port`, as in the URL) that may be reached whatever their address: tests only. */
  isAllowed?: (host: string, port: string) => boolean;
  /** Time to connect (TCP and TLS), in ms. */
  connectTimeoutMs?: number;
  /** Certificates to trust besides the system's: tests only (a fake push service's own). */
  ca?: string;
}

/**
 * The same rule as a Node `https.Agent`, for clients that take one (web-push): names resolve through
 * `publicOnlyLookup`, literal IPs are checked before connecting, the peer after.
 */
export function createPublicHttpsAgent({ isAllowed, connectTimeoutMs = 3_000, ca }: GuardOptions = {}): https.Agent {
  class PublicAgent extends https.Agent {
    override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void) {
      const host = String(options.host ?? options.hostname ?? '');
      const port = String(options.port ?? 443);
      const allowed = isAllowed?.(host, port) ?? false;
      if (!allowed && literalBlocked(host)) {
        // Node's agent reports an error handed to the callback as the request's error.
        process.nextTick(() => callback?.(new BlockedAddressError(host), undefined as unknown as Duplex));
        return undefined;
      }
      const socket = super.createConnection(
        { ...options, timeout: connectTimeoutMs, ...(allowed ? {} : { lookup: publicOnlyLookup }) },
        callback,
      ) as Socket;
      if (!allowed) {
        socket.once('connect', () => {
          if (peerBlocked(socket)) socket.destroy(new BlockedAddressError(host));
        });
      }
      return socket;
    }
  }
  return new PublicAgent({ keepAlive: true, ...(ca ? { ca } : {}) });
}
