import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { io, type Socket } from 'socket.io-client';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Same origin, with the session cookie; the caller decides when to connect. */
export function createSocket(): AppSocket {
  return io({
    autoConnect: false,
    withCredentials: true,
    // WebSocket first: it needs no sticky sessions behind several API replicas; polling stays a fallback.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
