import { expect, test } from '@playwright/test';
import { createConversation, signedInUser } from './support/users.ts';

test('typing shows and clears; the owner renames and closes; everyone sees it live', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob], 'Weekend plans');
  await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto(`/c/${id}`)]);
  await expect(bob.page.getByRole('heading', { name: 'Weekend plans' })).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Close conversation' })).toHaveCount(0);

  // Barrier: a message both see live means both sockets are in the room before anyone types.
  await alice.context.request.post(`/api/conversations/${id}/messages`, { data: { content: 'Plans?' } });
  for (const page of [alice.page, bob.page]) {
    await expect(page.getByRole('log', { name: 'Messages' }).getByText('Plans?')).toBeVisible();
  }

  // Typing appears for the other member, and goes when the message arrives.
  const bobComposer = bob.page.getByRole('textbox', { name: 'Message' });
  await bobComposer.pressSequentially('Saturday works');
  await expect(alice.page.getByText(`${bob.nickname} is typing…`)).toBeVisible();
  await bobComposer.press('Enter');
  await expect(alice.page.getByRole('log', { name: 'Messages' }).getByText('Saturday works')).toBeVisible();
  await expect(alice.page.getByText(`${bob.nickname} is typing…`)).toHaveCount(0);

  // The owner renames it inline.
  await alice.page.getByRole('button', { name: 'Rename' }).click();
  await alice.page.getByRole('textbox', { name: 'Title' }).fill('Saturday hike');
  await alice.page.getByRole('textbox', { name: 'Title' }).press('Enter');
  await expect(alice.page.getByRole('heading', { name: 'Saturday hike' })).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: 'Saturday hike' })).toBeVisible();
  // Focus lands back on the opener, not on the page.
  await expect(alice.page.getByRole('button', { name: 'Rename' })).toBeFocused();

  // Escape cancels a rename, and focus goes back to the opener too.
  await alice.page.getByRole('button', { name: 'Rename' }).click();
  await alice.page.getByRole('textbox', { name: 'Title' }).fill('Never mind');
  await alice.page.getByRole('textbox', { name: 'Title' }).press('Escape');
  await expect(alice.page.getByRole('heading', { name: 'Saturday hike' })).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Rename' })).toBeFocused();

  // The owner closes it after confirming; history stays, the composer goes, for everyone.
  await alice.page.getByRole('button', { name: 'Close conversation' }).click();
  const confirm = alice.page.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Close conversation' }).click();
  for (const { page } of [alice, bob]) {
    await expect(page.getByText('This conversation is closed')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
    await expect(page.getByRole('log', { name: 'Messages' }).getByText('Saturday works')).toBeVisible();
  }
  await expect(alice.page.getByRole('button', { name: 'Close conversation' })).toHaveCount(0);
  // The opener is gone with the conversation's controls: focus lands on its heading, not the page.
  await expect(alice.page.getByRole('heading', { name: 'Saturday hike' })).toBeFocused();

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});

test('a member shows as online, then offline once their last tab is gone', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob]);
  await bob.page.goto(`/c/${id}`);
  await expect(bob.page.getByRole('log', { name: 'Messages' })).toBeVisible();
  await alice.page.goto(`/c/${id}`);

  const bobInHeader = alice.page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({
    hasText: bob.nickname,
  });
  await expect(bobInHeader.getByRole('img', { name: 'online' })).toBeVisible();

  await bob.context.close();
  // The server waits a few seconds before calling anyone offline (a reload must not flicker).
  await expect(bobInHeader.getByRole('img', { name: 'offline' })).toBeVisible({ timeout: 20_000 });

  await alice.context.close();
});
