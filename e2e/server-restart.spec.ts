import { expect, type Page, test } from '@playwright/test';
import { type ServerHandle, startServer } from './support/server.ts';
import { createConversation, signedInUser, type TestUser } from './support/users.ts';

// A dedicated API process on its own port and the run's database: stopping it disturbs no other spec.
let server: ServerHandle;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

const messagesLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
const pendingMarkers = (page: Page) => messagesLog(page).getByText(/Waiting for connection|Sending…/);
const reconnecting = (page: Page) => page.getByRole('status').filter({ hasText: 'Reconnecting…' });

async function storedContents(user: TestUser, conversationId: number): Promise<string[]> {
  const response = await user.context.request.get(`/api/conversations/${conversationId}/messages?limit=100`);
  expect(response.ok()).toBe(true);
  const { messages } = (await response.json()) as { messages: { content: string }[] };
  return messages.map((message) => message.content);
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`messages sent while the API is down (${signal}) arrive once each and in order after it restarts`, async ({
    browser,
  }) => {
    // A stop, a restart, the socket's backoff and two reloads: more than the default 30 s on a busy machine.
    test.setTimeout(90_000);
    // Cookies belong to an origin: both sign up against this server's URL, not the shared one.
    const alice = await signedInUser(browser, 'Alice', { baseURL: server.url });
    const bob = await signedInUser(browser, 'Bob', { baseURL: server.url });
    const id = await createConversation(alice, [bob]);
    await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto(`/c/${id}`)]);

    // Both sockets are live: a message goes through before anything breaks.
    const aliceComposer = alice.page.getByRole('textbox', { name: 'Message' });
    const bobComposer = bob.page.getByRole('textbox', { name: 'Message' });
    await aliceComposer.fill('Before the restart');
    await aliceComposer.press('Enter');
    await expect(messagesLog(bob.page).getByText('Before the restart')).toBeVisible();

    await server.stop(signal);
    for (const { page } of [alice, bob]) await expect(reconnecting(page)).toBeVisible({ timeout: 15_000 });

    // Alice keeps writing; each message shows at once, marked as not yet sent.
    const written = ['Restart 1: are you there?', 'Restart 2: the server went away', 'Restart 3: in order, please'];
    for (const text of written) {
      await aliceComposer.fill(text);
      await aliceComposer.press('Enter');
      await expect(aliceComposer).toHaveValue('');
    }
    await expect(messagesLog(alice.page).getByText(/^Restart \d/)).toHaveText(written);
    await expect(pendingMarkers(alice.page)).toHaveCount(3);
    await expect(aliceComposer).toBeEditable();
    // Bob starts an answer meanwhile; the draft must outlive the outage and a reload.
    await bobComposer.fill('Draft written during the outage');
    await expect(reconnecting(alice.page)).toBeVisible();

    await server.start();
    const backAt = Date.now();
    // Sent the moment the server answers, most likely before the socket's backoff reconnects it:
    // it must still land after the three that were waiting.
    const last = 'Restart 4: sent as it came back';
    await aliceComposer.fill(last);
    await aliceComposer.press('Enter');
    const expected = [...written, last];

    await expect(messagesLog(bob.page).getByText(/^Restart \d/)).toHaveText(expected, { timeout: 20_000 });
    console.log(`${signal}: server answering → Bob sees all four: ${Date.now() - backAt} ms`);
    await expect(messagesLog(alice.page).getByText(/^Restart \d/)).toHaveText(expected);
    await expect(pendingMarkers(alice.page)).toHaveCount(0);
    for (const { page } of [alice, bob]) await expect(reconnecting(page)).toHaveCount(0, { timeout: 15_000 });
    await expect(bobComposer).toHaveValue('Draft written during the outage');

    // What the server stored: each message once, in the order written.
    expect(await storedContents(alice, id)).toEqual(['Before the restart', ...expected]);

    await Promise.all([alice.page.reload(), bob.page.reload()]);
    for (const { page } of [alice, bob]) {
      await expect(messagesLog(page).getByText(/^Restart \d/)).toHaveText(expected);
      await expect(messagesLog(page).getByText('Before the restart')).toHaveCount(1);
    }
    await expect(pendingMarkers(alice.page)).toHaveCount(0);
    await expect(bobComposer).toHaveValue('Draft written during the outage');

    await Promise.all([alice, bob].map(({ context }) => context.close()));
  });
}
