import { randomUUID } from 'node:crypto';
import type { Message } from '@parley/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { HttpClient, pool } from './load.ts';

/**
 * The fan-out topology: `users` users, `users` conversations of `membersPer` members, conversation c
 * holding users c, c+1, … c+membersPer−1 (mod users), so everyone is in `membersPer` conversations.
 */
export interface Topology {
  users: number;
  membersPer: number;
}
export const membersOf = (t: Topology, conversation: number) =>
  Array.from({ length: t.membersPer }, (_, k) => (conversation + k) % t.users);
export const conversationsOf = (t: Topology, user: number) =>
  Array.from({ length: t.membersPer }, (_, k) => (user - k + t.users) % t.users);

/** What a workload needs from a server under test: Parley, or the bare baseline. */
export interface Target {
  name: string;
  http: HttpClient;
  /** Sends a message into conversation index `conversation` as user index `sender`; resolves the HTTP status. */
  send(conversation: number, sender: number, content: string): Promise<number>;
  /** A socket for user index `user` (`session` picks which of the user's logins, for the idle test). */
  socket(user: number, url?: string): Socket;
  historyPath(conversation: number): string;
  /** The catch-up read: up to `limit` events of the conversation after seq `after`. */
  eventsPath(conversation: number, after: number, limit: number): string;
  /** What identifies user index `user` on a read (Parley's session cookie). */
  readHeaders(user: number): Record<string, string>;
}

export function openSocket(url: string, options: { cookie?: string; query?: Record<string, string> }): Socket {
  return connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
}

export function socketReady(socket: Socket, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('socket connect timeout')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function bareTarget(url: string, topology: Topology): Target {
  const http = new HttpClient(url);
  return {
    name: 'bare',
    http,
    async send(conversation, sender, content) {
      const reply = await http.request('POST', '/send', {
        room: `conversation:${conversation}`,
        content,
        senderId: sender,
      });
      return reply.status;
    },
    socket(user, socketUrl = url) {
      const rooms = conversationsOf(topology, user).map((c) => `conversation:${c}`);
      return openSocket(socketUrl, { query: { rooms: rooms.join(',') } });
    },
    historyPath: () => '/history?limit=50',
    eventsPath: (_conversation, after, limit) => `/events?after=${after}&limit=${limit}`,
    readHeaders: () => ({}),
  };
}

export interface ParleyWorld {
  cookies: string[];
  userIds: number[];
  conversationIds: number[];
}

/** Registers the users and creates the conversations through the API, as a client would. */
export async function buildParleyWorld(url: string, topology: Topology, runTag: string): Promise<ParleyWorld> {
  const http = new HttpClient(url, 16);
  const cookies: string[] = [];
  const userIds: number[] = [];
  // Argon2 hashing makes sign-up deliberately slow; a few at a time keeps the server responsive.
  await pool(
    Array.from({ length: topology.users }, (_, i) => i),
    4,
    async (i) => {
      const nickname = `b${runTag}u${i}`;
      const reply = await http.request('POST', '/api/auth/register', {
        email: `${nickname}@bench.test`,
        nickname,
        password: 'bench password 123',
      });
      if (reply.status !== 201) throw new Error(`sign-up failed: ${reply.status} ${reply.body.slice(0, 200)}`);
      // Every cookie the sign-up set (the session and its readable hint), as a browser sends them back.
      const setCookies = reply.headers['set-cookie'] ?? [];
      if (!setCookies.some((line) => line.startsWith('parley.sid=')))
        throw new Error('sign-up answered no session cookie');
      cookies[i] = setCookies.map((line) => line.split(';')[0]!).join('; ');
      userIds[i] = (JSON.parse(reply.body) as { user: { id: number } }).user.id;
    },
  );
  const conversationIds: number[] = [];
  await pool(
    Array.from({ length: topology.users }, (_, c) => c),
    8,
    async (c) => {
      const members = membersOf(topology, c);
      const owner = members[0]!;
      const reply = await http.request(
        'POST',
        '/api/conversations',
        { title: `bench ${c}`, memberIds: members.slice(1).map((m) => userIds[m]) },
        { cookie: cookies[owner]! },
      );
      if (reply.status !== 201) throw new Error(`conversation failed: ${reply.status} ${reply.body.slice(0, 200)}`);
      conversationIds[c] = (JSON.parse(reply.body) as { conversation: { id: number } }).conversation.id;
    },
  );
  http.close();
  return { cookies, userIds, conversationIds };
}

export function parleyTarget(url: string, world: ParleyWorld): Target {
  const http = new HttpClient(url);
  return {
    name: 'parley',
    http,
    async send(conversation, sender, content) {
      // With a clientId, as every send of the web app's outbox has: the server checks it for a retry.
      const reply = await http.request(
        'POST',
        `/api/conversations/${world.conversationIds[conversation]}/messages`,
        { content, clientId: randomUUID() },
        { cookie: world.cookies[sender]! },
      );
      return reply.status;
    },
    socket(user, socketUrl = url) {
      return openSocket(socketUrl, { cookie: world.cookies[user % world.cookies.length]! });
    },
    historyPath: (conversation) => `/api/conversations/${world.conversationIds[conversation]}/messages?limit=50`,
    eventsPath: (conversation, after, limit) =>
      `/api/conversations/${world.conversationIds[conversation]}/events?after=${after}&limit=${limit}`,
    readHeaders: (user) => ({ cookie: world.cookies[user]! }),
  };
}

export type { Message };
