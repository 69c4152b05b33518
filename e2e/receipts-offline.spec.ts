import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { conversationLink, createConversation, signedInUser } from './support/users.ts';

declare global {
  interface Window {
    __notifications: { title: string; body?: string; onclick: (() => void) | null }[];
    __focusCalls: number;
  }
}

/** Replaces window.Notification in every page of the context with a spy that records each one raised. */
async function spyOnNotifications(context: BrowserContext) {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const calls: FakeNotification[] = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      title: string;
      body: string | undefined;
      constructor(title: string, options?: { body?: string }) {
        this.title = title;
        this.body = options?.body;
        calls.push(this);
      }
      close() {}
      addEventListener() {}
    }
    window.__notifications = calls;
    // Clicking a notification should bring its tab forward: count the calls, then do what the browser does.
    window.__focusCalls = 0;
    const focus = window.focus.bind(window);
    window.focus = () => {
      window.__focusCalls++;
      focus();
    };
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true, writable: true });
  });
}

const notificationsIn = (page: Page) =>
  page.evaluate(() => window.__notifications.map(({ title, body }) => ({ title, body })));

test('seen receipts, unread counts and the tab title follow what the other person does', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob]);
  const title = `${alice.nickname}, ${bob.nickname}`;

  await alice.page.goto(`/c/${id}`);
  await bob.page.goto('/');
  await expect(conversationLink(bob.page, title)).toBeVisible();

  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('First');
  await composer.press('Enter');
  await composer.fill('Second');
  await composer.press('Enter');

  await expect(bob.page).toHaveTitle('(2) Parley');
  await expect(conversationLink(bob.page, title)).toContainText('2 unread');
  await expect(alice.page.getByText('Seen by')).toHaveCount(0);

  await conversationLink(bob.page, title).click();
  await expect(bob.page.getByRole('log', { name: 'Messages' }).getByText('Second')).toBeVisible();
  await expect(bob.page).toHaveTitle('Parley');
  await expect(conversationLink(bob.page, title)).not.toContainText('unread');

  await expect(alice.page.getByText(`Seen by ${bob.nickname}`)).toBeVisible();
  await alice.page.getByRole('button', { name: bob.nickname }).focus();
  await expect(alice.page.getByRole('tooltip')).toContainText(/Seen/);

  // A new message moves the receipt down once Bob has seen it too.
  await composer.fill('Third');
  await composer.press('Enter');
  await expect(bob.page.getByRole('log', { name: 'Messages' }).getByText('Third')).toBeVisible();
  await expect(alice.page.getByText(`Seen by ${bob.nickname}`)).toHaveCount(1);
  await expect(bob.page).toHaveTitle('Parley');

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});

test('one notification per message across tabs, never for your own; drafts survive a reload', async ({ browser }) => {
  // The tabs' own notifier, as in a browser without service workers; with a worker in control the
  // tabs hand their notifications to it instead (ADR 036, e2e/push.spec.ts).
  const alice = await signedInUser(browser, 'Alice', { serviceWorkers: 'block' });
  const bob = await signedInUser(browser, 'Bob', { serviceWorkers: 'block' });
  await spyOnNotifications(alice.context);
  await spyOnNotifications(bob.context);
  const id = await createConversation(alice, [bob]);
  const title = `${alice.nickname}, ${bob.nickname}`;

  const bobSecondTab = await bob.context.newPage();
  await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto('/'), bobSecondTab.goto('/')]);
  for (const page of [bob.page, bobSecondTab]) await expect(conversationLink(page, title)).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Enable notifications' })).toHaveCount(0);

  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Are you there?');
  await composer.press('Enter');

  await expect
    .poll(async () => (await notificationsIn(bob.page)).length + (await notificationsIn(bobSecondTab)).length)
    .toBe(1);
  const raised = [...(await notificationsIn(bob.page)), ...(await notificationsIn(bobSecondTab))];
  expect(raised[0]?.title).toContain(alice.nickname);
  expect(raised[0]?.body).toBe('Are you there?');
  // Still one a moment later, and none for Alice, who wrote it.
  await bob.page.waitForTimeout(1_000);
  expect((await notificationsIn(bob.page)).length + (await notificationsIn(bobSecondTab)).length).toBe(1);
  expect(await notificationsIn(alice.page)).toHaveLength(0);

  // Clicking it focuses the tab that raised it and opens the conversation there.
  const notifiedTab = (await notificationsIn(bob.page)).length === 1 ? bob.page : bobSecondTab;
  await notifiedTab.evaluate(() => window.__notifications[0]?.onclick?.());
  await expect(notifiedTab).toHaveURL(new RegExp(`/c/${id}$`));
  await expect(notifiedTab.getByRole('log', { name: 'Messages' }).getByText('Are you there?')).toBeVisible();
  expect(await notifiedTab.evaluate(() => window.__focusCalls)).toBe(1);

  // A draft is kept per conversation across a reload, and cleared by sending.
  await bob.page.goto(`/c/${id}`);
  const bobComposer = bob.page.getByRole('textbox', { name: 'Message' });
  await bobComposer.fill('Half-written thought');
  await bob.page.reload();
  await expect(bobComposer).toHaveValue('Half-written thought');
  await bobComposer.press('Enter');
  await expect(alice.page.getByRole('log', { name: 'Messages' }).getByText('Half-written thought')).toBeVisible();
  await bob.page.reload();
  await expect(bobComposer).toHaveValue('');

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});

test('a message written offline waits in the outbox and is delivered once when back online', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob]);
  await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto(`/c/${id}`)]);
  await expect(alice.page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await expect(bob.page.getByRole('log', { name: 'Messages' })).toBeVisible();

  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible({ timeout: 15_000 });
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Written in a tunnel');
  await composer.press('Enter');
  const aliceLog = alice.page.getByRole('log', { name: 'Messages' });
  await expect(aliceLog.getByText('Written in a tunnel')).toBeVisible();
  await expect(aliceLog.getByText(/Waiting for connection|Sending/)).toBeVisible();

  await alice.context.setOffline(false);
  await expect(alice.page.getByText('Reconnecting…')).toHaveCount(0, { timeout: 15_000 });
  const bobLog = bob.page.getByRole('log', { name: 'Messages' });
  await expect(bobLog.getByText('Written in a tunnel')).toHaveCount(1, { timeout: 15_000 });
  await expect(aliceLog.getByText(/Waiting for connection|Sending/)).toHaveCount(0);
  await alice.page.reload();
  await expect(alice.page.getByRole('log', { name: 'Messages' }).getByText('Written in a tunnel')).toHaveCount(1);

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});
