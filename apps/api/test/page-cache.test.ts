import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiForThisFile, type Client, signUp, startServer, type TestServer } from './support/test-app.ts';

/**
 * History pages and event pages are answered from a per-replica cache keyed by the conversation's
 * seq and the nickname version (ADR 046). These tests hold it to "never stale": after every kind of
 * change, made on either of two cached replicas, each replica answers exactly what a replica without
 * the cache answers.
 */
describe('the page cache', () => {
  const file = apiForThisFile();
  let a: TestServer;
  let b: TestServer;
  /** The same database, no cache: what an uncached read answers. */
  let uncached: TestServer;
  beforeAll(async () => {
    a = file.server;
    b = await file.replica();
    uncached = await startServer(file.db.url, {}, { pageCacheBytes: 0 });
  });
  afterAll(async () => {
    await uncached.stop();
  });

  /** The same person on another server (the session lives in PostgreSQL, so it works on any). */
  function on(server: TestServer, client: Client): Client {
    const copy = Object.create(client) as Client;
    copy.baseUrl = server.url;
    return copy;
  }

  /** Reads `path` through both cached replicas and the uncached one; answers the uncached reply. */
  async function readEverywhere(client: Client, path: string) {
    const expected = await on(uncached, client).get(path);
    for (const server of [a, b]) {
      const got = await on(server, client).get(path);
      expect({ server: server.url, status: got.status, body: got.body }).toEqual({
        server: server.url,
        status: expected.status,
        body: expected.body,
      });
    }
    return expected;
  }

  let conversationId: number;
  let alice: Client & { user: { id: number } };
  let bob: Client & { user: { id: number } };
  let carol: Client & { user: { id: number } };
  const paths = () => {
    const url = `/api/conversations/${conversationId}`;
    return [`${url}/messages?limit=50`, `${url}/messages?limit=2`, `${url}/events?after=0`, `${url}/events?after=2`];
  };
  /**
   * Reads every path everywhere: right after a change, a stale cache would answer the page it kept
   * before it (each call also fills the caches for the next change).
   */
  async function allAgree(reader: Client = alice) {
    await Promise.all(paths().map((path) => readEverywhere(reader, path)));
  }

  beforeAll(async () => {
    alice = await signUp(a, 'Alice');
    bob = await signUp(a, 'Bob');
    carol = await signUp(a, 'Carol');
    const created = await alice.post('/api/conversations', { title: 'cached', memberIds: [bob.user.id] });
    conversationId = created.body.conversation.id;
    for (const content of ['one', 'two', 'three']) {
      await alice.post(`/api/conversations/${conversationId}/messages`, { content });
    }
  });

  it('answers a second read of an unchanged page from memory, with the same bytes and headers', async () => {
    const path = `/api/conversations/${conversationId}/messages?limit=50`;
    const first = await fetch(a.url + path, { headers: { cookie: alice.cookie } });
    const firstBody = await first.text();
    const before = a.app.pages.stats().hits;
    const second = await fetch(a.url + path, { headers: { cookie: alice.cookie } });
    expect(a.app.pages.stats().hits).toBe(before + 1);
    expect(await second.text()).toBe(firstBody);
    const plain = await fetch(uncached.url + path, { headers: { cookie: alice.cookie } });
    expect(await plain.text()).toBe(firstBody);
    for (const header of ['content-type', 'content-length', 'etag', 'cache-control']) {
      expect({ header, value: second.headers.get(header) }).toEqual({ header, value: plain.headers.get(header) });
    }
    // What res.json would have sent: the charset, and Express's weak ETag of the body.
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(second.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[\w+/]+"$/);
    // Operators see the same count on /metrics.
    const metrics = await (await fetch(`${a.metricsUrl}/metrics`)).text();
    expect(metrics).toContain(`parley_page_cache_reads_total{result="hit"} ${a.app.pages.stats().hits}`);
  });

  it('checks each of many concurrent reads on its own: members read, a stranger gets 404', async () => {
    const stranger = await signUp(a, 'Stranger');
    const path = `/api/conversations/${conversationId}/messages?limit=2`;
    const readers = Array.from({ length: 30 }, (_, i) => [alice, bob, stranger][i % 3]!);
    const replies = await Promise.all(readers.map((reader) => reader.get(path)));
    const expected = await on(uncached, alice).get(path);
    replies.forEach((reply, i) => {
      if (readers[i] === stranger) expect({ i, status: reply.status }).toEqual({ i, status: 404 });
      else expect({ i, status: reply.status, body: reply.body }).toEqual({ i, status: 200, body: expected.body });
    });
  });

  it('after every kind of change, on either replica, answers what an uncached read answers', async () => {
    const url = `/api/conversations/${conversationId}`;
    await allAgree();
    const sent = (await on(b, bob).post(`${url}/messages`, { content: 'from Bob on B' })).body.message;
    await allAgree();
    expect((await on(a, alice).get(`${url}/messages?limit=50`)).body.messages.at(-1).content).toBe('from Bob on B');

    const reply = (await alice.post(`${url}/messages`, { content: 'a reply', replyToId: sent.id })).body.message;
    await allAgree();
    expect((await on(b, bob).patch(`${url}/messages/${sent.id}`, { content: 'edited on B' })).status).toBe(200);
    await allAgree();
    expect((await on(a, alice).get(`${url}/messages?limit=50`)).body.messages.at(-1).replyTo.excerpt).toBe(
      'edited on B',
    );

    expect((await on(b, bob).put(`${url}/messages/${reply.id}/reactions/${encodeURIComponent('👍')}`)).status).toBe(
      200,
    );
    await allAgree();
    expect((await on(a, bob).delete(`${url}/messages/${reply.id}/reactions/${encodeURIComponent('👍')}`)).status).toBe(
      200,
    );
    await allAgree();

    expect((await on(b, bob).post(`${url}/seen`, { upToMessageId: reply.id })).status).toBe(200);
    await allAgree();
    const seen = (await on(a, alice).get(`${url}/messages?limit=50`)).body.messages.at(-1).seenBy;
    expect(seen.map((s: { userId: number }) => s.userId)).toEqual([bob.user.id]);

    expect((await on(b, bob).delete(`${url}/messages/${sent.id}`)).status).toBe(200);
    await allAgree();
    expect((await on(a, alice).get(`${url}/messages?limit=50`)).body.messages.at(-1).replyTo.deleted).toBe(true);
  });

  it('drops a removed preview at once', async () => {
    const url = `/api/conversations/${conversationId}`;
    const message = (await alice.post(`${url}/messages`, { content: 'see https://example.test/page' })).body.message;
    // A preview as the fetcher would have stored it, written before anything of this message is read.
    const pool = a.database.pool;
    const { rows } = await pool.query<{ id: number }>(
      `insert into link_previews (url, title) values ('https://example.test/page', 'A page') returning id`,
    );
    await pool.query('update messages set preview_id = $1 where id = $2', [rows[0]!.id, message.id]);
    const withPreview = await readEverywhere(alice, `${url}/messages?limit=50`);
    expect(withPreview.body.messages.at(-1).preview.title).toBe('A page');
    await allAgree();
    expect((await on(b, alice).delete(`${url}/messages/${message.id}/preview`)).status).toBe(200);
    await allAgree();
    expect((await on(a, alice).get(`${url}/messages?limit=50`)).body.messages.at(-1).preview).toBeNull();
  });

  it("shows a sender's new nickname at once, though a rename is no event of the conversation", async () => {
    const url = `/api/conversations/${conversationId}`;
    await allAgree();
    const nickname = `Robert${Date.now() % 100000}`;
    expect((await on(b, bob).patch('/api/auth/me', { nickname })).status).toBe(200);
    await allAgree();
    const page = (await on(a, alice).get(`${url}/messages?limit=50`)).body.messages;
    const bobs = page.filter((m: { sender: { id: number } }) => m.sender.id === bob.user.id);
    expect(bobs.length).toBeGreaterThan(0);
    for (const m of bobs) expect(m.sender.nickname).toBe(nickname);
  });

  it('refuses a removed member at once on every replica, and lets an added one read', async () => {
    const url = `/api/conversations/${conversationId}`;
    expect((await alice.post(`${url}/members`, { userIds: [carol.user.id] })).status).toBe(200);
    await allAgree(carol);
    await allAgree(alice);
    // Carol's pages are in both caches now; her removal on B must close them on A too.
    expect((await on(b, alice).delete(`${url}/members/${carol.user.id}`)).status).toBe(204);
    for (const server of [a, b]) {
      for (const path of paths()) {
        const reply = await on(server, carol).get(path);
        expect({ path, status: reply.status, code: reply.body.error?.code }).toEqual({
          path,
          status: 404,
          code: 'not_found',
        });
      }
    }
    await allAgree(alice);
  });
});
