import type { HttpClient } from './load.ts';
import type { ParleyWorld } from './targets.ts';

/**
 * Fills conversation `conversationId` with a mix of sequenced changes through the API, as its
 * members would make them, one at a time: each round a member sends; every second message is
 * edited by its sender, every third gets a reaction from the next member, every fourth is marked
 * seen by the member after. Answers the conversation's last seq.
 */
export async function seedCatchUp(options: {
  http: HttpClient;
  world: ParleyWorld;
  conversationId: number;
  /** User indexes of the conversation's members. */
  members: number[];
  rounds: number;
}): Promise<number> {
  const { http, world, conversationId, members, rounds } = options;
  const url = `/api/conversations/${conversationId}`;
  const as = (member: number) => ({ cookie: world.cookies[members[member % members.length]!]! });
  const expect = async (what: string, reply: Promise<{ status: number; body: string }>) => {
    const { status, body } = await reply;
    if (status !== 200 && status !== 201) throw new Error(`catch-up seed: ${what} answered ${status} ${body}`);
    return body;
  };
  for (let r = 0; r < rounds; r++) {
    const body = await expect(
      'send',
      http.request(
        'POST',
        `${url}/messages`,
        { content: `catch-up ${r}: ${'lorem ipsum '.repeat(1 + (r % 6))}` },
        as(r),
      ),
    );
    const id = (JSON.parse(body) as { message: { id: number } }).message.id;
    if (r % 2 === 0) {
      await expect('edit', http.request('PATCH', `${url}/messages/${id}`, { content: `catch-up ${r}, edited` }, as(r)));
    }
    if (r % 3 === 0) {
      await expect('react', http.request('PUT', `${url}/messages/${id}/reactions/%F0%9F%91%8D`, undefined, as(r + 1)));
    }
    if (r % 4 === 0) {
      await expect('seen', http.request('POST', `${url}/seen`, { upToMessageId: id }, as(r + 2)));
    }
  }
  const conversation = await expect('read', http.request('GET', url, undefined, as(0)));
  return (JSON.parse(conversation) as { conversation: { seq: number } }).conversation.seq;
}
