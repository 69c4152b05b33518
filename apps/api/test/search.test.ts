import type { Message, SearchResponse } from '@parley/contracts';
import { describe, expect, it } from 'vitest';
import { startConversation } from './support/fixtures.ts';
import { apiForThisFile, Client, signUp } from './support/test-app.ts';

const file = apiForThisFile();

type Person = Awaited<ReturnType<typeof signUp>>;

/** Given Alice and Bob in a conversation of their own, where Bob says `lines` in order. */
async function aliceAndBobSaying(...lines: string[]) {
  const alice = await signUp(file.server, 'Alice');
  const bob = await signUp(file.server, 'Bob');
  const conversation = await startConversation(alice, [bob], 'Trip planning');
  const sent: Message[] = [];
  for (const content of lines) sent.push(await say(bob, conversation.id, content));
  return { alice, bob, id: conversation.id, sent };
}

async function say(who: Client, conversationId: number, content: string): Promise<Message> {
  const res = await who.post(`/api/conversations/${conversationId}/messages`, { content });
  if (res.status !== 201) throw new Error(`send failed: ${res.status}`);
  return res.body.message;
}

async function search(who: Client, params: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  return who.get<SearchResponse>(`/api/search?${qs}`);
}

/** The contents found for `q`, newest first, only in conversation `id` (each test has its own words too). */
async function found(who: Client, q: string, id?: number): Promise<string[]> {
  const res = await search(who, id === undefined ? { q } : { q, conversationId: id });
  expect(res.status).toBe(200);
  return res.body.results.map((r) => r.message.content);
}

/** The marked parts of a result, as the UI would show them. */
const marked = (r: SearchResponse['results'][number]) => r.highlights.map(([s, e]) => r.message.content.slice(s, e));

describe('matching words', () => {
  it('matches every word as a prefix, in any order, newest first', async () => {
    const { alice, id } = await aliceAndBobSaying(
      'Meeting the lawyers tomorrow',
      'The tomorrow meeting moved',
      'No meet today',
      'lawyer meets tomorrow',
    );
    expect(await found(alice, 'meet', id)).toEqual([
      'lawyer meets tomorrow',
      'No meet today',
      'The tomorrow meeting moved',
      'Meeting the lawyers tomorrow',
    ]);
    // Both words, whatever their order in the message.
    expect(await found(alice, 'tomorrow meet', id)).toEqual([
      'lawyer meets tomorrow',
      'The tomorrow meeting moved',
      'Meeting the lawyers tomorrow',
    ]);
    expect(await found(alice, 'MEET law', id)).toEqual(['lawyer meets tomorrow', 'Meeting the lawyers tomorrow']);
    // A prefix of a word, never the middle of one.
    expect(await found(alice, 'eeting', id)).toEqual([]);
  });

  it('matches "quoted phrases" as consecutive words and excludes -words', async () => {
    const { alice, id } = await aliceAndBobSaying(
      'the blue whale swims',
      'a whale, blue as the sea',
      'blue whales everywhere',
      'a blue sky',
    );
    expect(await found(alice, '"blue whale"', id)).toEqual(['blue whales everywhere', 'the blue whale swims']);
    expect(await found(alice, 'blue -whale', id)).toEqual(['a blue sky']);
    expect(await found(alice, 'blue -"blue whale"', id)).toEqual(['a blue sky', 'a whale, blue as the sea']);
    // Exclusions alone ask for nothing.
    expect(await found(alice, '-whale', id)).toEqual([]);
  });

  it('finds 上海 inside a Chinese sentence, and Japanese the same way', async () => {
    const { alice, id } = await aliceAndBobSaying(
      '我明天去上海出差',
      '北京很冷',
      '東京タワーへ行きます',
      '上海 and Tokyo',
    );
    const res = await search(alice, { q: '上海', conversationId: id });
    expect(res.body.results.map((r) => r.message.content)).toEqual(['上海 and Tokyo', '我明天去上海出差']);
    expect(res.body.results.map(marked)).toEqual([['上海'], ['上海']]);
    expect(await found(alice, 'タワー', id)).toEqual(['東京タワーへ行きます']);
    expect(await found(alice, '上海 tok', id)).toEqual(['上海 and Tokyo']);
    expect(await found(alice, '上海 -tokyo', id)).toEqual(['我明天去上海出差']);
    // Latin letters inside such a run still match in any case.
    expect(await found(alice, '"上海 AND"', id)).toEqual(['上海 and Tokyo']);
  });

  it('searches the text without the markup, and finds mentions by the nickname', async () => {
    const { alice, id } = await aliceAndBobSaying('see **上**海 and *very* ~~old~~ `code_word`', 'ask @Carol now');
    expect(await found(alice, '上海', id)).toEqual(['see **上**海 and *very* ~~old~~ `code_word`']);
    expect(await found(alice, '"very old code"', id)).toEqual(['see **上**海 and *very* ~~old~~ `code_word`']);
    expect(await found(alice, 'carol', id)).toEqual(['ask @Carol now']);
  });

  it('treats the query as text, never as tsquery or LIKE syntax', async () => {
    const { alice, id } = await aliceAndBobSaying("it's 100% done_ok", 'plain words');
    for (const q of ["'", '\\', '!', '&|<->', ':*', "it's", '100%', '%', '_', '(', 'a:* | b']) {
      const res = await search(alice, { q, conversationId: id });
      expect(res.status, q).toBe(200);
    }
    expect(await found(alice, "it's", id)).toEqual(["it's 100% done_ok"]);
    expect(await found(alice, '%', id)).toEqual([]);
  });
});

describe('who finds what', () => {
  it('finds only messages of conversations the caller is a member of; another one is a 404', async () => {
    const { alice, bob, id } = await aliceAndBobSaying('zanzibar secret plans');
    const carol = await signUp(file.server, 'Carol');
    const other = await startConversation(carol, [bob], 'Elsewhere');
    await say(carol, other.id, 'zanzibar elsewhere');
    expect(await found(carol, 'zanzibar')).toEqual(['zanzibar elsewhere']);
    expect(await found(alice, 'zanzibar')).toEqual(['zanzibar secret plans']);
    expect((await found(bob, 'zanzibar')).sort()).toEqual(['zanzibar elsewhere', 'zanzibar secret plans']);
    const res = await search(carol, { q: 'zanzibar', conversationId: id });
    expect({ status: res.status, code: (res.body as any).error.code }).toEqual({ status: 404, code: 'not_found' });
    expect((await search(carol, { q: 'zanzibar', conversationId: 99999999 })).status).toBe(404);
    expect(await found(bob, 'zanzibar', other.id)).toEqual(['zanzibar elsewhere']);
  });

  it('a removed member finds nothing of that conversation any more, and a page is never short for it', async () => {
    const alice = await signUp(file.server, 'Alice');
    const bob = await signUp(file.server, 'Bob');
    const kept = await startConversation(alice, [bob], 'Kept');
    const left = await startConversation(alice, [bob], 'Left');
    for (let i = 0; i < 3; i++) await say(alice, kept.id, `quokka kept ${i}`);
    for (let i = 0; i < 5; i++) await say(alice, left.id, `quokka left ${i}`);
    expect(await found(bob, 'quokka')).toHaveLength(8);
    // Removal deletes the membership row (the members API does the same).
    await file.server.database.pool.query(
      'delete from conversation_members where conversation_id = $1 and user_id = $2',
      [left.id, bob.user.id],
    );
    const res = await search(bob, { q: 'quokka', limit: 3 });
    expect(res.body.results.map((r) => r.message.content)).toEqual(['quokka kept 2', 'quokka kept 1', 'quokka kept 0']);
    expect(res.body.hasMore).toBe(false);
    expect((await search(bob, { q: 'quokka', conversationId: left.id })).status).toBe(404);
    expect(await found(alice, 'quokka')).toHaveLength(8);
  });

  it('names each result’s conversation as the caller sees it: its title, else the other members', async () => {
    const [alice, bob, carol] = await Promise.all(['Alice', 'Bob', 'Carol'].map((n) => signUp(file.server, n)));
    const titled = await startConversation(alice!, [bob!, carol!], 'Okapi club');
    const untitled = await startConversation(alice!, [bob!, carol!]);
    const direct = await startConversation(alice!, [bob!]);
    expect(direct.kind).toBe('direct');
    for (const c of [titled, untitled, direct]) await say(alice!, c.id, `okapi in ${c.id}`);
    const titles = async (who: Client) => {
      const res = await search(who, { q: 'okapi' });
      return Object.fromEntries(res.body.results.map((r) => [r.message.conversationId, r.conversationTitle]));
    };
    const [a, b, c] = [alice!, bob!, carol!].map((p) => p.user.nickname);
    expect(await titles(alice!)).toEqual({ [titled.id]: 'Okapi club', [untitled.id]: `${b}, ${c}`, [direct.id]: b });
    expect(await titles(bob!)).toEqual({ [titled.id]: 'Okapi club', [untitled.id]: `${a}, ${c}`, [direct.id]: a });
  });

  it('finds only user messages', async () => {
    const { alice, id } = await aliceAndBobSaying('wombat');
    await file.server.database.pool.query(
      `insert into messages (conversation_id, seq, kind, sender_id, content, search_text)
       select $1, last_seq + 1, 'system', owner_id, '', 'wombat' from conversations where id = $1`,
      [id],
    );
    expect(await found(alice, 'wombat', id)).toEqual(['wombat']);
  });
});

describe('changes', () => {
  it('never matches a deleted message, and finds an edited one by its new text only', async () => {
    const { alice, bob, id, sent } = await aliceAndBobSaying('platypus one', 'platypus two', 'echidna three');
    const url = `/api/conversations/${id}/messages`;
    expect((await bob.delete(`${url}/${sent[0]!.id}`)).status).toBe(200);
    expect((await bob.patch(`${url}/${sent[1]!.id}`, { content: 'numbat two' })).status).toBe(200);
    expect(await found(alice, 'platypus', id)).toEqual([]);
    const res = await search(alice, { q: 'numbat', conversationId: id });
    expect(res.body.results.map((r) => r.message.content)).toEqual(['numbat two']);
    expect(res.body.results[0]!.message.editedAt).toEqual(expect.any(String));
    expect(await found(alice, 'echidna', id)).toEqual(['echidna three']);
  });
});

describe('paging', () => {
  it('pages back with before, newest first, without duplicates or gaps, hasMore until the end', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `axolotl number ${i}`);
    const { alice, bob, id } = await aliceAndBobSaying(...lines.slice(0, 6));
    // Thousands of messages elsewhere in between: the search reads the newest ids first, then the rest.
    await file.server.database.pool.query("select setval('messages_id_seq', nextval('messages_id_seq') + 20000)");
    for (const line of [...lines.slice(6), 'unrelated']) await say(bob, id, line);
    const seen: string[] = [];
    let before: number | undefined;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const res = await search(alice, { q: 'axolotl', conversationId: id, limit: 5, ...(before ? { before } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((r) => r.message.content));
      if (!res.body.hasMore) break;
      expect(res.body.results).toHaveLength(5);
      before = res.body.results.at(-1)!.message.id;
    }
    expect(seen).toEqual([...lines].reverse());
  });

  it('answers 400 for q empty or over 200 characters, and limit 0 or 51', async () => {
    const alice: Person = await signUp(file.server, 'Alice');
    for (const params of [
      {},
      { q: '' },
      { q: '   ' },
      { q: 'x'.repeat(201) },
      { q: 'x', limit: 0 },
      { q: 'x', limit: 51 },
      { q: 'x', limit: 'ten' },
      { q: 'x', before: 'abc' },
      { q: 'x', conversationId: 0 },
    ]) {
      const res = await search(alice, params as Record<string, string>);
      expect({ status: res.status, code: (res.body as any).error?.code }, JSON.stringify(params)).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    }
    expect((await search(alice, { q: 'x'.repeat(200), limit: 50 })).status).toBe(200);
    expect((await search(alice, { q: 'x', limit: 1 })).status).toBe(200);
  });

  it('needs a session', async () => {
    const res = await new Client(file.server.url).get('/api/search?q=x');
    expect(res.status).toBe(401);
  });
});

describe('highlights', () => {
  it('are UTF-16 offsets into the content, past emoji and markup', async () => {
    const content = '🎉👍🏽 **Party** at 上海 tonight, party people! "party time"';
    const { alice, id } = await aliceAndBobSaying(content);
    const res = await search(alice, { q: 'part 上海', conversationId: id });
    const [result] = res.body.results;
    expect(result!.message.content).toBe(content);
    // 🎉 is two UTF-16 units and 👍🏽 four, then " **": "Party" starts at 9.
    expect(result!.highlights).toEqual([
      [9, 13],
      [20, 22],
      [32, 36],
      [47, 51],
    ]);
    expect(marked(result!)).toEqual(['Part', '上海', 'part', 'part']);
  });

  it('mark a whole phrase and nothing of an excluded word', async () => {
    const { alice, id } = await aliceAndBobSaying('👩‍👩‍👧 the red fox and the red hen');
    const res = await search(alice, { q: '"red fo" -cat', conversationId: id });
    expect(res.body.results.map(marked)).toEqual([['red fo']]);
  });
});
