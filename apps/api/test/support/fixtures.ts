import type { Conversation } from '@parley/contracts';
import { type Client, type ClientSocket, signUp } from './test-app.ts';

type Person = Awaited<ReturnType<typeof signUp>>;

/** Given Alice and Bob in a conversation (Alice owns it). */
export async function aliceAndBob(server: { url: string }) {
  const alice = await signUp(server, 'Alice');
  const bob = await signUp(server, 'Bob');
  // Titled, so it is a group that Alice owns (two people and no title would be their direct conversation).
  const conversation = await startConversation(alice, [bob], 'Alice and Bob');
  return { alice, bob, conversation, id: conversation.id, url: `/api/conversations/${conversation.id}` };
}

/** `owner` starts a conversation with `others`, in that order. */
export async function startConversation(owner: Client, others: Person[], title?: string): Promise<Conversation> {
  const res = await owner.post('/api/conversations', { memberIds: others.map((o) => o.user.id), title });
  if (res.status !== 201) throw new Error(`could not start a conversation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.conversation;
}

/**
 * Given Alice, Bob and Carol in a conversation (Alice owns it), and Dave outside it, each with a socket
 * opened by `open` (which decides how sockets are kept and closed).
 */
export async function aliceBobCarolAndDave(server: { url: string }, open: (client: Client) => Promise<ClientSocket>) {
  const [alice, bob, carol, dave] = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((n) => signUp(server, n)));
  const conversation = await startConversation(alice!, [bob!, carol!]);
  const [as, bs, cs, ds] = await Promise.all([alice!, bob!, carol!, dave!].map(open));
  return {
    alice: alice!,
    bob: bob!,
    carol: carol!,
    dave: dave!,
    as: as!,
    bs: bs!,
    cs: cs!,
    ds: ds!,
    id: conversation.id,
  };
}
