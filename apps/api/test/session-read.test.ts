import { describe, expect, it } from 'vitest';
import { cookieValue, signedSessionId } from '../src/auth/session-read.ts';
import { aliceAndBob } from './support/fixtures.ts';
import { apiForThisFile, type Client, signUp } from './support/test-app.ts';

const file = apiForThisFile();

/** The `parley.sid` pair of a client's cookies, and the session id inside it. */
function sessionCookie(client: Client) {
  const pair = client.cookie.split('; ').find((c) => c.startsWith('parley.sid='))!;
  const value = decodeURIComponent(pair.slice('parley.sid='.length));
  return { pair, value, sid: value.slice(2, value.lastIndexOf('.')) };
}

/** A request carrying exactly `cookie`. */
const withCookie = (cookie: string, path = '/api/conversations') =>
  fetch(file.server.url + path, { headers: { cookie } }).then((res) => res.status);

// Every route but /api/auth reads the session without express-session (ADR 057).
describe('a session read outside /api/auth', () => {
  it('lets a signed-in member read and send, and sets no cookie', async () => {
    const { alice, url } = await aliceAndBob(file.server);
    const list = await alice.get('/api/conversations');
    expect(list.status).toBe(200);
    expect(list.headers.getSetCookie()).toEqual([]);
    const sent = await alice.post(`${url}/messages`, { content: 'hello', clientId: 'read-path-1' });
    expect(sent.status).toBe(201);
    expect(sent.body.message.sender.id).toBe(alice.user.id);
    expect(sent.headers.getSetCookie()).toEqual([]);
  });

  it('is nobody’s with a forged signature, an unsigned id or a cookie of another name', async () => {
    const alice = await signUp(file.server, 'Alice');
    const { pair, value, sid } = sessionCookie(alice);
    expect(await withCookie(pair)).toBe(200);
    const last = value.at(-1) === 'A' ? 'B' : 'A';
    expect(await withCookie(`parley.sid=${encodeURIComponent(value.slice(0, -1) + last)}`)).toBe(401);
    expect(await withCookie(`parley.sid=${sid}`)).toBe(401);
    expect(await withCookie(`parley.sid=${encodeURIComponent(`s:${sid}`)}`)).toBe(401);
    expect(await withCookie(`x${pair}`)).toBe(401);
    // The first pair of the name counts, as express-session reads it.
    expect(await withCookie(`${pair}; parley.sid=junk`)).toBe(200);
    expect(await withCookie(`parley.sid=junk; ${pair}`)).toBe(401);
  });

  it('is refused as soon as its user signs out, whatever the case of the path that signed out', async () => {
    const alice = await signUp(file.server, 'Alice');
    const { pair } = sessionCookie(alice);
    // Express routes case-insensitively, so this is the sign-out route, and it gets a writable session.
    expect((await alice.post('/api/AUTH/logout')).status).toBe(204);
    expect(await withCookie(pair)).toBe(401);
    expect(await withCookie(pair, '/api/auth/me')).toBe(401);
  });
});

describe('reading the session cookie', () => {
  it('takes the first pair of the name, unquoted and decoded', () => {
    expect(cookieValue('a=1; parley.sid=s%3Aabc.def; parley.sid=other', 'parley.sid')).toBe('s:abc.def');
    expect(cookieValue('parley.sid="s:abc.def"', 'parley.sid')).toBe('s:abc.def');
    expect(cookieValue('xparley.sid=s:abc.def', 'parley.sid')).toBeUndefined();
    expect(cookieValue('parley.sid=%E0%A4%A', 'parley.sid')).toBe('%E0%A4%A');
    expect(cookieValue(undefined, 'parley.sid')).toBeUndefined();
  });

  it('accepts only an id signed with the secret', async () => {
    const { value, sid } = sessionCookie(await signUp(file.server, 'Alice'));
    // The secret the test servers sign with (support/test-app.ts).
    expect(signedSessionId(value, 'test-secret-that-is-long-enough-for-a-session')).toBe(sid);
    expect(signedSessionId(value, 'another secret')).toBeUndefined();
    expect(signedSessionId('s:abc.', 'secret')).toBeUndefined();
    expect(signedSessionId('abc.def', 'secret')).toBeUndefined();
    expect(signedSessionId('s:.def', 'secret')).toBeUndefined();
    expect(signedSessionId(undefined, 'secret')).toBeUndefined();
  });
});
