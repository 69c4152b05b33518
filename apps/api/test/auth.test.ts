import { describe, expect, it } from 'vitest';
import { apiForThisFile, Client, signUp } from './support/test-app.ts';

const file = apiForThisFile({ LOGIN_RATE_LIMIT: 5, TRUST_PROXY: ['loopback'] });

const password = 'correct horse battery';
let n = 0;
const fresh = (name = 'user') => {
  n += 1;
  return { email: `${name}${n}@example.test`, nickname: `${name}${n}`, password };
};

describe('registration', () => {
  it('creates the account and signs the person in', async () => {
    const client = new Client(file.server.url);
    const body = fresh('ann');
    const res = await client.post('/api/auth/register', body);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: body.email, nickname: body.nickname });
    expect(Object.keys(res.body.user).sort()).toEqual(['createdAt', 'email', 'id', 'nickname']);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(res.body.user.id);
  });

  it('names every invalid field', async () => {
    const res = await new Client(file.server.url).post('/api/auth/register', {
      email: 'not-an-email',
      nickname: '   ',
      password: 'short',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'nickname', 'password']);
  });

  it('refuses an email or nickname taken in another letter case', async () => {
    const taken = fresh('Case');
    await new Client(file.server.url).post('/api/auth/register', taken);
    const sameEmail = await new Client(file.server.url).post('/api/auth/register', {
      ...fresh('other'),
      email: taken.email.toUpperCase(),
    });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error.code).toBe('email_taken');
    expect(sameEmail.body.error.fields).toHaveProperty('email');
    const sameNickname = await new Client(file.server.url).post('/api/auth/register', {
      ...fresh('other'),
      nickname: taken.nickname.toLowerCase(),
    });
    expect(sameNickname.status).toBe(409);
    expect(sameNickname.body.error.code).toBe('nickname_taken');
    expect(sameNickname.body.error.fields).toHaveProperty('nickname');
  });

  it('stores one account when the same sign-up races itself', async () => {
    const body = fresh('race');
    const replies = await Promise.all(
      [1, 2, 3].map(() => new Client(file.server.url).post('/api/auth/register', body)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});

describe('conventions', () => {
  it('answers 415 to a mutation whose body is not JSON', async () => {
    const res = await new Client(file.server.url).post('/api/auth/login', 'email=a', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 400 without fields to malformed JSON', async () => {
    const res = await new Client(file.server.url).post('/api/auth/login', '{"email":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toBeUndefined();
  });

  it('rejects a mutation from a foreign Origin, sign-in and registration included', async () => {
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/logout']) {
      const res = await new Client(file.server.url).post(path, fresh(), { origin: 'https://evil.example' });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('csrf_rejected');
    }
    const own = await new Client(file.server.url).post('/api/auth/register', fresh(), { origin: file.server.url });
    expect(own.status).toBe(201);
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const res = await new Client(file.server.url).post('/api/auth/register', {
      ...fresh(),
      padding: 'x'.repeat(70_000),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers 404 with the error body for an unknown route or method', async () => {
    const client = new Client(file.server.url);
    for (const res of [await client.get('/api/nothing-here'), await client.request('DELETE', '/api/auth/me')]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('needs a session for every route past auth', async () => {
    const client = new Client(file.server.url);
    for (const res of [
      await client.get('/api/auth/me'),
      await client.get('/api/users'),
      await client.get('/api/conversations'),
      await client.post('/api/conversations', { memberIds: [1] }),
      await client.get('/api/conversations/1/messages'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });
});

describe('sign-in', () => {
  it('signs in with a new session id and gives one answer for unknown email and wrong password', async () => {
    const body = fresh('sam');
    const client = new Client(file.server.url);
    await client.post('/api/auth/register', body);
    const registeredCookie = client.cookie;
    const ok = await client.post('/api/auth/login', { email: body.email.toUpperCase(), password });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(body.email);
    expect(client.cookie).not.toBe(registeredCookie);

    const wrong = await new Client(file.server.url).post('/api/auth/login', {
      email: body.email,
      password: 'wrong password',
    });
    const unknown = await new Client(file.server.url).post('/api/auth/login', {
      email: 'nobody@example.test',
      password,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('answers 400 when a field is missing', async () => {
    const res = await new Client(file.server.url).post('/api/auth/login', { email: 'a@example.test' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('password');
  });

  // This file's API trusts X-Forwarded-For from loopback (TRUST_PROXY), which lets one test play many IPs.
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('limits failed sign-ins per email and address with 429 and Retry-After, not the owner elsewhere', async () => {
    const body = fresh('limited');
    await new Client(file.server.url).post('/api/auth/register', body);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await new Client(file.server.url).post(
        '/api/auth/login',
        { email: body.email, password: 'nope-nope' },
        from('10.1.0.1'),
      );
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.body.error.code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password waits there until the window has passed…
    const there = await new Client(file.server.url).post(
      '/api/auth/login',
      { email: body.email, password },
      from('10.1.0.1'),
    );
    expect(there.status).toBe(429);
    // …while the owner, from another address, signs in.
    const owner = await new Client(file.server.url).post(
      '/api/auth/login',
      { email: body.email, password },
      from('10.1.1.1'),
    );
    expect(owner.status).toBe(200);
  });

  it('limits failed sign-ins per IP across emails', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await new Client(file.server.url).post(
        '/api/auth/login',
        { email: `guess${i}@example.test`, password: 'nope-nope' },
        from('10.2.0.1'),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const elsewhere = await new Client(file.server.url).post(
      '/api/auth/login',
      { email: 'guess0@example.test', password: 'nope-nope' },
      from('10.2.0.2'),
    );
    expect(elsewhere.status).toBe(401);
  });
});

describe('sessions', () => {
  it('survive a restart of the API', async () => {
    const client = await signUp(file.server, 'restart');
    const other = await file.replica();
    const before = await client.get('/api/auth/me');
    client.baseUrl = (await file.restart()).url;
    const after = await client.get('/api/auth/me');
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    // Any replica accepts the session too.
    client.baseUrl = other.url;
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('logout destroys the session for every later request', async () => {
    const client = await signUp(file.server, 'leaver');
    const stolen = client.cookie;
    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(204);
    const replay = new Client(file.server.url);
    replay.cookie = stolen;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
    expect((await replay.get('/api/conversations')).status).toBe(401);
    // Logging out without a session is fine too.
    expect((await new Client(file.server.url).post('/api/auth/logout', {})).status).toBe(204);
  });
});

describe('the session hint cookie', () => {
  const hintOf = (res: { headers: Headers }) =>
    res.headers.getSetCookie().find((line) => line.startsWith('parley_session_hint='));
  const cleared = (line: string | undefined) => line !== undefined && /expires=Thu, 01 Jan 1970/i.test(line);

  it('comes with the session on registration and sign-in, readable by the page, and leaves with it', async () => {
    const body = fresh('hint');
    const client = new Client(file.server.url);
    const reply = await client.post('/api/auth/register', body);
    const registered = hintOf(reply);
    expect(registered).toMatch(/^parley_session_hint=1; Max-Age=\d+; Path=\/; Expires=[^;]+; SameSite=Lax$/);
    expect(registered).not.toMatch(/HttpOnly/i);
    // It ends when the session cookie does (both last 30 days from this answer).
    const session = reply.headers.getSetCookie().find((line) => line.startsWith('parley.sid='));
    const expiry = (line: string | undefined) => Date.parse(/Expires=([^;]+)/i.exec(line ?? '')?.[1] ?? '');
    expect(Math.abs(expiry(registered) - expiry(session))).toBeLessThanOrEqual(2_000);
    const signedIn = await client.post('/api/auth/login', { email: body.email, password });
    expect(hintOf(signedIn)).toMatch(/^parley_session_hint=1;/);
    expect(client.cookie).toContain('parley_session_hint=1');

    const out = await client.post('/api/auth/logout');
    expect(cleared(hintOf(out))).toBe(true);
    expect(client.cookie).not.toContain('parley_session_hint');
  });

  it('is cleared when a request is refused for want of a session, and never set by a failed sign-in', async () => {
    const client = await signUp(file.server, 'hintgone');
    const stolen = client.cookie;
    expect(stolen).toContain('parley_session_hint=1');
    await client.post('/api/auth/logout');
    const replay = new Client(file.server.url);
    replay.cookie = stolen;
    const refused = await replay.get('/api/auth/me');
    expect(refused.status).toBe(401);
    expect(cleared(hintOf(refused))).toBe(true);
    expect(replay.cookie).not.toContain('parley_session_hint');

    const wrong = await new Client(file.server.url).post('/api/auth/login', {
      email: client.user.email,
      password: 'wrong password',
    });
    expect(wrong.status).toBe(401);
    expect(hintOf(wrong)).toBeUndefined();
  });
});

describe('profile', () => {
  it('changes the nickname freely but email and password only with the current password', async () => {
    const client = await signUp(file.server, 'prof');
    const nick = await client.patch('/api/auth/me', { nickname: `${client.user.nickname}x` });
    expect(nick.status).toBe(200);
    expect(nick.body.user.nickname).toBe(`${client.user.nickname}x`);

    const noCurrent = await client.patch('/api/auth/me', { email: 'new@example.test' });
    expect(noCurrent.status).toBe(401);
    expect(noCurrent.body.error.code).toBe('invalid_credentials');
    const badCurrent = await client.patch('/api/auth/me', {
      newPassword: 'another password',
      currentPassword: 'nope',
    });
    expect(badCurrent.status).toBe(401);

    const email = `${client.user.nickname}.new@example.test`;
    const ok = await client.patch('/api/auth/me', {
      email,
      newPassword: 'another password',
      currentPassword: password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email);
    const relogin = await new Client(file.server.url).post('/api/auth/login', {
      email,
      password: 'another password',
    });
    expect(relogin.status).toBe(200);
  });

  it('refuses a nickname someone else has, in any case', async () => {
    const a = await signUp(file.server, 'taken');
    const b = await signUp(file.server, 'taker');
    const res = await b.patch('/api/auth/me', { nickname: a.user.nickname.toUpperCase() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('nickname_taken');
  });
});

describe('hostile input', () => {
  it('answers 400, never 500, to a NUL character in any text field', async () => {
    const client = new Client(file.server.url);
    const withNul = { email: 'nul@example.test', nickname: 'nul\u0000nick', password: 'password\u0000123' };
    const res = await client.post('/api/auth/register', withNul);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['nickname', 'password']);
    expect((await client.post('/api/auth/login', { email: 'a\u0000@example.test', password: 'x' })).status).toBe(400);
  });

  it('answers 415 to a declared non-JSON body even when empty, and 400 to a corrupt compressed one', async () => {
    const client = await signUp(file.server, 'Hostile');
    const empty = await client.request('POST', '/api/auth/logout', undefined, { 'content-type': 'text/plain' });
    expect(empty.status).toBe(415);
    const corrupt = await client.post('/api/auth/login', 'not gzip at all', {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.code).toBe('validation_failed');
  });

  it('answers 404 to OPTIONS and to an unknown method, signed in or not', async () => {
    const anonymous = new Client(file.server.url);
    for (const res of [
      await anonymous.request('OPTIONS', '/api/conversations'),
      await anonymous.request('DELETE', '/api/conversations/1'),
      await anonymous.request('PUT', '/api/auth/me', {}),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

describe('a new password', () => {
  it('ends every other session of that person', async () => {
    const client = await signUp(file.server, 'Rotate');
    const elsewhere = new Client(file.server.url);
    await elsewhere.post('/api/auth/login', { email: `${client.user.nickname.toLowerCase()}@example.test`, password });
    expect((await elsewhere.get('/api/auth/me')).status).toBe(200);
    const res = await client.patch('/api/auth/me', { newPassword: 'a brand new password', currentPassword: password });
    expect(res.status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });
});
