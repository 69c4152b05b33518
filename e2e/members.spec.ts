import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { conversationLink, createConversation, signedInUser } from './support/users.ts';

declare global {
  interface Window {
    __raised: { title: string; body?: string }[];
  }
}

/** Replaces window.Notification in every page of the context with a spy that records each one raised. */
async function spyOnNotifications(context: BrowserContext) {
  await context.grantPermissions(['notifications']);
  await context.addInitScript(() => {
    const raised: { title: string; body?: string }[] = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options?: { body?: string }) {
        raised.push({ title, ...(options?.body === undefined ? {} : { body: options.body }) });
      }
      close() {}
      addEventListener() {}
    }
    window.__raised = raised;
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true, writable: true });
  });
}
const raisedIn = (page: Page) => page.evaluate(() => window.__raised.map((n) => n.body ?? ''));
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

test('the owner adds Dave, who sees the history live; removes Carol, whose view goes away; Bob leaves', async ({
  browser,
}) => {
  const [alice, bob, carol, dave] = await Promise.all(
    ['Alice', 'Bob', 'Carol', 'Dave'].map((name) => signedInUser(browser, name)),
  );
  const id = await createConversation(alice!, [bob!, carol!], 'Project');
  await alice!.context.request.post(`/api/conversations/${id}/messages`, { data: { content: 'Kick-off notes' } });
  await Promise.all([alice!.page.goto(`/c/${id}`), carol!.page.goto(`/c/${id}`), dave!.page.goto('/')]);
  await expect(log(carol!.page).getByText('Kick-off notes')).toBeVisible();
  await expect(conversationLink(dave!.page, 'Project')).toHaveCount(0);

  // Alice adds Dave.
  await alice!.page.getByRole('button', { name: 'Members' }).click();
  const members = alice!.page.getByRole('dialog', { name: 'Members' });
  await expect(members.getByText(alice!.nickname)).toContainText('owner');
  await members.getByRole('button', { name: 'Add people' }).click();
  const add = alice!.page.getByRole('dialog', { name: 'Add people' });
  await expect(add.getByRole('searchbox', { name: 'Search contacts' })).toBeFocused();
  await add.getByRole('searchbox', { name: 'Search contacts' }).fill(dave!.nickname);
  await add.getByRole('checkbox', { name: dave!.nickname, exact: true }).check();
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(add).toHaveCount(0);

  // Dave's sidebar gets it live, with the whole history.
  await conversationLink(dave!.page, 'Project').click();
  await expect(log(dave!.page).getByText('Kick-off notes')).toBeVisible();
  const added = `${alice!.nickname} added ${dave!.nickname}`;
  await expect(log(dave!.page).getByText(added)).toBeVisible();
  // The dialog is modal (the page behind it is hidden from assistive technology): close it to read the log.
  await alice!.page.keyboard.press('Escape');
  await expect(log(alice!.page).getByText(added)).toBeVisible();

  // Alice removes Carol: Carol's open view goes away, and so does the sidebar link.
  await alice!.page.getByRole('button', { name: 'Members' }).click();
  await members.getByRole('button', { name: `Remove ${carol!.nickname}` }).click();
  await expect(carol!.page.getByRole('heading', { name: 'Project' })).toHaveCount(0);
  await expect(carol!.page).toHaveURL(/\/$/);
  await expect(conversationLink(carol!.page, 'Project')).toHaveCount(0);
  await expect(members.getByText(carol!.nickname)).toHaveCount(0);
  await alice!.page.keyboard.press('Escape');
  await expect(log(alice!.page).getByText(`${alice!.nickname} removed ${carol!.nickname}`)).toBeVisible();

  // Bob leaves, after confirming.
  await bob!.page.goto(`/c/${id}`);
  await bob!.page.getByRole('button', { name: 'Members' }).click();
  const bobMembers = bob!.page.getByRole('dialog', { name: 'Members' });
  await expect(bobMembers.getByRole('button', { name: /^Remove / })).toHaveCount(0);
  await bobMembers.getByRole('button', { name: 'Leave conversation' }).click();
  await bob!.page.getByRole('alertdialog').getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(bob!.page).toHaveURL(/\/$/);
  await expect(conversationLink(bob!.page, 'Project')).toHaveCount(0);
  await expect(log(alice!.page).getByText(`${bob!.nickname} left`)).toBeVisible();
  await expect(log(dave!.page).getByText(`${bob!.nickname} left`)).toBeVisible();

  await Promise.all([alice, bob, carol, dave].map((p) => p!.context.close()));
});

test('a muted conversation raises no notification, except for a message that mentions you', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  // Without a service worker the tab raises its notifications itself, where the spy sees them (ADR 036).
  const bob = await signedInUser(browser, 'Bob', { serviceWorkers: 'block' });
  await spyOnNotifications(bob.context);
  const id = await createConversation(alice, [bob], 'Noisy');

  await bob.page.goto(`/c/${id}`);
  await bob.page.getByRole('button', { name: 'Mute conversation' }).click();
  await expect(bob.page.getByRole('button', { name: 'Unmute conversation' })).toBeVisible();
  // Within the app (no reload), so Bob's socket stays connected and hears what follows live.
  await bob.page.getByRole('link', { name: 'Parley' }).click();
  await expect(bob.page).toHaveURL(/\/$/);
  await expect(conversationLink(bob.page, 'Noisy')).toContainText('muted');

  await alice.page.goto(`/c/${id}`);
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('just chatting');
  await composer.press('Enter');
  await expect(conversationLink(bob.page, 'Noisy')).toContainText('1 unread');
  // Alice mentions Bob through the suggestions, from the keyboard.
  await composer.fill('look here ');
  await composer.pressSequentially(`@${bob.nickname.slice(0, 3)}`);
  const suggestions = alice.page.getByRole('listbox', { name: 'Mention suggestions' });
  await expect(suggestions.getByRole('option', { name: bob.nickname })).toBeVisible();
  await composer.press('Enter');
  await expect(suggestions).toHaveCount(0);
  await expect(composer).toHaveValue(`look here @${bob.nickname} `);
  await composer.pressSequentially('please');
  await composer.press('Enter');

  // The mention notifies; by then the earlier message would have, had it done so.
  await expect.poll(() => raisedIn(bob.page)).toEqual([`look here @${bob.nickname} please`]);
  await expect(conversationLink(bob.page, 'Noisy')).toContainText('@');
  await conversationLink(bob.page, 'Noisy').click();
  const mention = log(bob.page).locator('[data-mentions-me]');
  await expect(mention).toHaveCount(1);
  await expect(mention).toContainText('please');

  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('New conversation with one contact and no title opens the direct conversation, the same one twice', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  await alice.page.goto('/');
  const urls: string[] = [];
  for (let i = 0; i < 2; i++) {
    await alice.page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = alice.page.getByRole('dialog', { name: 'New conversation' });
    const search = dialog.getByRole('searchbox', { name: 'Search contacts' });
    await expect(search).toBeFocused();
    // Escape clears the search first; only a second one would close the dialog.
    await search.fill('zzz');
    await search.press('Escape');
    await expect(search).toHaveValue('');
    await expect(dialog).toBeVisible();
    await search.fill(bob.nickname);
    const box = dialog.getByRole('checkbox', { name: bob.nickname, exact: true });
    // Nothing is remembered from the last time.
    await expect(box).not.toBeChecked();
    await box.check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(alice.page).toHaveURL(/\/c\/\d+$/);
    await expect(alice.page.getByRole('heading', { name: bob.nickname })).toBeVisible();
    urls.push(alice.page.url());
  }
  expect(urls[1]).toBe(urls[0]);
  await expect(conversationLink(alice.page, bob.nickname)).toHaveCount(1);
  await alice.page.getByRole('button', { name: 'New conversation' }).click();
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByRole('dialog', { name: 'New conversation' })).toHaveCount(0);

  // Bob sees it under Alice's nickname.
  await bob.page.goto('/');
  await expect(conversationLink(bob.page, alice.nickname)).toHaveCount(1);
  await Promise.all([alice.context.close(), bob.context.close()]);
});
