import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type FakePushService, startFakePushService } from '../apps/api/test/support/fake-push-service.ts';
import { sendMessage } from './support/messages.ts';
import { type ServerHandle, startServer } from './support/server.ts';
import { conversationLink, createConversation, signedInUser, type TestUser } from './support/users.ts';

type PushPayload = { conversationId: number; messageId: number; title: string; body: string; url: string };

// The server's side of push with a real browser's tabs: the API pushes to a fake push service on
// 127.0.0.1 (HTTPS with its own certificate, trusted through NODE_EXTRA_CA_CERTS) that decrypts what
// it receives; the tabs report their visibility (`attention`) as the web app does.

let push: FakePushService;
let server: ServerHandle;

test.beforeAll(async () => {
  push = await startFakePushService();
  const caFile = path.join(os.tmpdir(), `parley-fake-push-${process.pid}-${Date.now()}.pem`);
  writeFileSync(caFile, push.ca);
  server = await startServer({ env: { PUSH_ENDPOINT_ALLOW: push.host, NODE_EXTRA_CA_CERTS: caFile } });
});
test.afterAll(async () => {
  await server?.stop();
  await push?.stop();
});

async function subscribe(user: TestUser) {
  const subscription = push.subscription();
  const response = await user.context.request.post('/api/push/subscriptions', { data: subscription });
  expect(response.status()).toBe(201);
  return subscription.endpoint;
}

const pushedIds = (endpoint: string) => push.pushesTo(endpoint).map((p) => (p.payload as PushPayload).messageId);

/**
 * A barrier: `typist` types in the conversation open in their tab, and `watcher` (who has it open
 * too) sees it. The typing event leaves the tab's socket after everything it sent before (its
 * `attention` included), and the server handles one socket's events in order. Typing is not in the
 * sequence: one sent while the watcher's page is still connecting (just loaded) reaches nobody, so the
 * typist clears and types again (clearing sends a stop, which lets the next typing through at once)
 * until the watcher sees it.
 */
async function typingSeen(typist: TestUser, watcher: Page) {
  const composer = typist.page.getByRole('textbox', { name: 'Message' });
  const indicator = watcher.getByText(`${typist.nickname} is typing…`);
  await expect(async () => {
    await composer.fill('');
    await composer.fill('…');
    await expect(indicator).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await composer.fill('');
}

test('nobody is pushed while their tab is visible; a hidden tab lets the push through', async ({ browser }) => {
  const options = { baseURL: server.url };
  const alice = await signedInUser(browser, 'Alice', options);
  const bob = await signedInUser(browser, 'Bob', options);
  const carol = await signedInUser(browser, 'Carol', options); // no tab at all
  const group = await createConversation(alice, [bob, carol], 'Weekend');
  const side = await createConversation(alice, [bob], 'Side');
  const [bobs, carols] = [await subscribe(bob), await subscribe(carol)];

  // Bob's tab is open and visible: it says so when its socket connects.
  await alice.page.goto(`/c/${group}`);
  await bob.page.goto(`/c/${group}`);
  await typingSeen(bob, alice.page);
  const first = await sendMessage(alice, group, 'Saturday?');
  await expect.poll(() => pushedIds(carols)).toEqual([first]);

  // Bob's tab is hidden now (another tab in front): it reports that, and the next message is pushed.
  await bob.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  // Within the app (no reload, which would make the tab visible again): the other conversation.
  await alice.page.goto(`/c/${side}`);
  await conversationLink(bob.page, 'Side').click();
  await typingSeen(bob, alice.page);
  const second = await sendMessage(alice, group, 'Or Sunday?');
  await expect.poll(() => pushedIds(bobs)).toEqual([second]);
  await expect.poll(() => pushedIds(carols)).toEqual([first, second]);

  const [received] = push.pushesTo(bobs);
  expect(received?.payload).toEqual({
    conversationId: group,
    messageId: second,
    title: `${alice.nickname} in Weekend`,
    body: 'Or Sunday?',
    url: `/c/${group}`,
  });
  expect(push.errors).toEqual([]);
});
