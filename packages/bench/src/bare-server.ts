/**
 * The baseline the suite compares Parley against: Socket.IO on a plain HTTP server, no database, no
 * auth. `POST /send {room, content, senderId}` emits a Message-shaped `message:new` to the room;
 * a socket joins the rooms listed in its handshake query (`rooms=a,b`). `GET /history` and
 * `GET /events` answer fixture bodies set with `PUT /history` and `PUT /events` (the same bytes
 * Parley answers), `GET /readyz` 200.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';

let nextId = 1;
/** The bodies the read rows answer, by first path segment: history pages and catch-up pages. */
const fixtures = new Map<string, string>([
  ['/history', '{"messages":[],"hasMore":false}'],
  ['/events', '{"events":[],"lastSeq":0,"hasMore":false}'],
]);
const fixtureOf = (url: string) => fixtures.get(url.split('?')[0]!);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/send') {
      const { room, content, senderId } = JSON.parse(await readBody(req)) as {
        room: string;
        content: string;
        senderId: number;
      };
      const id = nextId++;
      const message = {
        id,
        conversationId: Number(room.split(':')[1]),
        seq: id,
        sender: { id: senderId, nickname: `user${senderId}` },
        content,
        clientId: null,
        createdAt: new Date().toISOString(),
        seenBy: [],
      };
      io.to(room).emit('message:new', message);
      return reply(res, 201, JSON.stringify({ message }));
    }
    const fixture = req.url === undefined ? undefined : fixtureOf(req.url);
    if (req.method === 'GET' && fixture !== undefined) return reply(res, 200, fixture);
    if (req.method === 'PUT' && fixture !== undefined) {
      fixtures.set(req.url!, await readBody(req));
      return reply(res, 204, '');
    }
    if (req.method === 'GET' && req.url === '/readyz') return reply(res, 200, '{"status":"ok"}');
    reply(res, 404, '{}');
  } catch {
    reply(res, 400, '{}');
  }
});

// Same engine options as the API's socket server.
const io = new Server(server, { serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
io.on('connection', (socket) => {
  const rooms = socket.handshake.query.rooms;
  if (typeof rooms === 'string' && rooms) socket.join(rooms.split(','));
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const stop = () => {
  io.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
