import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';

/** What the push service received for one push, decrypted. */
export interface ReceivedPush {
  endpoint: string;
  headers: Record<string, string | undefined>;
  /** The plaintext, decrypted as a browser would (RFC 8291, aes128gcm). */
  payload: unknown;
  /** The VAPID JWT's claims, after its signature was checked against the `k` it came with. */
  vapid: { publicKey: string; claims: { aud: string; exp: number; sub: string } };
}

/** A browser's side of a subscription: its keys stay here, so the fake service can decrypt. */
export interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** How the service answers: a status at once, or 201 only after `stallMs` (or when released). */
type Behaviour = { status: number } | { stallMs: number };

const b64url = (buffer: Buffer) => buffer.toString('base64url');

/**
 * RFC 8188/8291 decryption of one aes128gcm body: the header carries the salt, the record size and
 * the sender's ephemeral public key; the content key comes from ECDH with the browser's private key
 * and two HKDF steps keyed by the auth secret.
 */
export function decryptAes128gcm(body: Buffer, browserPrivate: ReturnType<typeof createECDH>, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + keyIdLength);
  const records = body.subarray(21 + keyIdLength);
  if (records.length > recordSize) throw new Error('more than one record: not what web-push sends');
  const browserPublic = browserPrivate.getPublicKey();
  const shared = browserPrivate.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browserPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('bad padding delimiter');
  return padded.subarray(0, end);
}

/** `Authorization: vapid t=<JWT>, k=<public key>`: checks the ES256 signature with k, returns the claims. */
function verifyVapid(header: string | undefined): ReceivedPush['vapid'] {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`not a VAPID Authorization header: ${header}`);
  const [, token, k] = match as unknown as [string, string, string];
  const [head, body, signature] = token.split('.') as [string, string, string];
  const point = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('the VAPID signature does not verify');
  return { publicKey: k, claims: JSON.parse(Buffer.from(body, 'base64url').toString()) };
}

/**
 * A push service on 127.0.0.1 over HTTPS with its own self-signed certificate. Each subscription it
 * hands out is a browser: it keeps the private key and decrypts what arrives for it.
 */
export async function startFakePushService() {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const browsers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer; behaviour: Behaviour }>();
  const received: ReceivedPush[] = [];
  const errors: Error[] = [];
  // Each held push's release, with the endpoint it was sent to.
  const stalled = new Map<() => void, string>();
  let connections = 0;
  let count = 0;

  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const endpoint = `${origin}${req.url}`;
      const browser = browsers.get(endpoint);
      if (!browser) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = Buffer.concat(chunks);
        received.push({
          endpoint,
          headers: {
            ttl: req.headers.ttl as string | undefined,
            topic: req.headers.topic as string | undefined,
            urgency: req.headers.urgency as string | undefined,
            'content-encoding': req.headers['content-encoding'] as string | undefined,
          },
          payload: JSON.parse(decryptAes128gcm(body, browser.ecdh, browser.auth).toString('utf8')),
          vapid: verifyVapid(req.headers.authorization),
        });
      } catch (err) {
        errors.push(err as Error);
        res.writeHead(400).end();
        return;
      }
      const { behaviour } = browser;
      if ('stallMs' in behaviour) {
        const timer = setTimeout(() => release(), behaviour.stallMs);
        const release = () => {
          clearTimeout(timer);
          stalled.delete(release);
          if (!res.writableEnded) res.writeHead(201).end();
        };
        stalled.set(release, endpoint);
        return;
      }
      res.writeHead(behaviour.status).end();
    });
  });
  server.on('secureConnection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;

  return {
    /** The certificate to trust, and the `host:port` to allow past the public-address rule. */
    ca: pems.cert,
    host: `127.0.0.1:${port}`,
    received,
    /** Anything that did not decrypt or verify: a test expects none. */
    errors,
    /** TLS connections accepted so far. */
    get connections() {
      return connections;
    },
    /** A new browser subscription; `behaviour` is how the service answers pushes to it. */
    subscription(behaviour: Behaviour = { status: 201 }): FakeSubscription {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${++count}-${randomBytes(6).toString('hex')}`;
      browsers.set(endpoint, { ecdh, auth, behaviour });
      return { endpoint, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(auth) } };
    },
    answer(endpoint: string, behaviour: Behaviour) {
      const browser = browsers.get(endpoint);
      if (browser) browser.behaviour = behaviour;
    },
    pushesTo(endpoint: string) {
      return received.filter((push) => push.endpoint === endpoint);
    },
    /** Pushes to `endpoint` received and not answered yet (its subscription stalls). */
    heldFor(endpoint: string) {
      return [...stalled.values()].filter((e) => e === endpoint).length;
    },
    /** Answers every stalled push now (201), so a test need not wait out the stall. */
    releaseStalled() {
      for (const release of [...stalled.keys()]) release();
    },
    async stop() {
      for (const release of [...stalled.keys()]) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakePushService = Awaited<ReturnType<typeof startFakePushService>>;
