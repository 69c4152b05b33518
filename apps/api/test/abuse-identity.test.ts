// Issue 11, finding 6: look-alike nicknames, and titles that turn text around.
import { describe, expect, it } from 'vitest';
import { apiForThisFile, Client, signUp } from './support/test-app.ts';

const api = apiForThisFile();
const password = 'correct horse battery';
let n = 0;
const register = (nickname: string) => {
  n += 1;
  return new Client(api.server.url).post('/api/auth/register', { email: `id${n}@example.test`, nickname, password });
};

describe('finding 6: nicknames that impersonate', () => {
  it('refuses every look-alike of input7a that was accepted next to it', async () => {
    expect((await register('input7a')).status).toBe(201);
    const attempts: [string, string, number, string][] = [
      ['zero-width space', 'input7a\u200B', 400, 'validation_failed'],
      ['Cyrillic і and а', '\u0456nput7\u0430', 409, 'nickname_taken'],
      ['full-width letters', 'ｉｎｐｕｔ７ａ', 409, 'nickname_taken'],
      ['a combining accent', 'input7a\u0301', 409, 'nickname_taken'],
      ['tag characters', 'input7a\u{E0069}\u{E006E}', 400, 'validation_failed'],
      ['upper case', 'INPUT7A', 409, 'nickname_taken'],
    ];
    for (const [what, nickname, status, code] of attempts) {
      const res = await register(nickname);
      expect(res.status, what).toBe(status);
      expect(res.body.error.code, what).toBe(code);
      expect(res.body.error.fields, what).toHaveProperty('nickname');
    }
  });

  it('refuses a direction override and a nickname of invisible characters only', async () => {
    const override = await register('admin\u202Etxt.exe');
    expect(override.status).toBe(400);
    expect(override.body.error.fields.nickname).toMatch(/invisible or control/);
    const invisible = await register('\u200B\u200B\u200B');
    expect(invisible.status).toBe(400);
    const noLetter = await register('!!!');
    expect(noLetter.body.error.fields.nickname).toBe('Nickname needs at least one letter or digit');
  });

  it('stores the NFKC form, trimmed, with ordinary spaces inside kept', async () => {
    const res = await register('  Ｍａｒｙ　Ａｎｎ ');
    expect(res.status).toBe(201);
    expect(res.body.user.nickname).toBe('Mary Ann');
  });

  it('refuses a rename to a look-alike of someone else', async () => {
    const paypal = await signUp(api.server, 'paypal');
    const other = await signUp(api.server, 'other');
    const lookAlike = paypal.user.nickname.replace(/a/g, '\u0430'); // Cyrillic а
    const res = await other.patch('/api/auth/me', { nickname: lookAlike });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('nickname_taken');
    // One's own nickname in another look is still one's own.
    expect((await paypal.patch('/api/auth/me', { nickname: lookAlike })).status).toBe(200);
  });

  it('keeps look-alikes apart in the database when they race', async () => {
    const replies = await Promise.all(['racer7', 'rac\u0435r7', 'ＲＡＣＥＲ７'].map((nickname) => register(nickname)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.error.code === 'nickname_taken')).toBe(true);
  });
});

describe('finding 6: titles', () => {
  it('refuses control and direction characters in a title', async () => {
    const alice = await signUp(api.server, 'Alice');
    const bob = await signUp(api.server, 'Bob');
    const created = await alice.post('/api/conversations', { title: 'Invoice\u202Efdp.exe', memberIds: [bob.user.id] });
    expect(created.status).toBe(400);
    expect(created.body.error.fields).toHaveProperty('title');
    const ok = await alice.post('/api/conversations', { title: 'Plans', memberIds: [bob.user.id] });
    expect(ok.status).toBe(201);
    const renamed = await alice.patch(`/api/conversations/${ok.body.conversation.id}`, { title: 'a\u0007b' });
    expect(renamed.status).toBe(400);
  });
});
