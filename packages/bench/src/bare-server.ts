/**
 * The baseline the suite compares Parley against: Socket.IO on a plain HTTP server, no database, no
 * auth. `POST /send {room, content, senderId}` emits a Message-shaped `message:new` to the room;
 * a socket joins the rooms listed in its handshake query (`rooms=a,b`). `GET /history` answers a
 * fixture body set with `PUT /history` (the same bytes Parley answers), `GET /readyz` 200.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';

let nextId = 1;
let history = '{"messages":[],"hasMore":false}';

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
    if (req.method === 'GET' && req.url?.startsWith('/history')) return reply(res, 200, history);
    if (req.method === 'PUT' && req.url === '/history') {
      history = await readBody(req);
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
