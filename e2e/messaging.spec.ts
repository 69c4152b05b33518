import { expect, test } from '@playwright/test';
import { conversationLink, signedInUser } from './support/users.ts';

test('Alice talks with Bob and Carol live; Dave, not a member, sees nothing', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const carol = await signedInUser(browser, 'Carol');
  const dave = await signedInUser(browser, 'Dave');
  await Promise.all([alice, bob, carol].map(({ page }) => page.goto('/')));

  // Alice starts a conversation with a blank title.
  await alice.page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'New conversation' });
  await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
  for (const friend of [bob, carol]) {
    await dialog.getByRole('searchbox', { name: 'Search contacts' }).fill(friend.nickname);
    await dialog.getByRole('checkbox', { name: friend.nickname, exact: true }).check();
  }
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(alice.page).toHaveURL(/\/c\/\d+$/);
  const conversationUrl = alice.page.url();
  // Untitled, each sees the others' nicknames in the order they joined.
  const people = [alice, bob, carol];
  const titleFor = (viewer: (typeof people)[number]) =>
    people
      .filter((p) => p !== viewer)
      .map((p) => p.nickname)
      .join(', ');
  await expect(alice.page.getByRole('heading', { name: titleFor(alice) })).toBeVisible();

  // Everyone's sidebar shows it without a reload.
  for (const person of people) await expect(conversationLink(person.page, titleFor(person))).toBeVisible();

  // Bob has it open; Carol stays on the list.
  await conversationLink(bob.page, titleFor(bob)).click();
  await expect(bob.page.getByRole('heading', { name: titleFor(bob) })).toBeVisible();

  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Hello both of you!\nSee https://example.com');
  const sentAt = Date.now();
  await composer.press('Enter');
  // waitFor checks on every animation frame; expect's retry backoff would round the latency up.
  await bob.page.getByRole('log', { name: 'Messages' }).getByText('Hello both of you!').waitFor();
  console.log(`Enter → other screen latency: ${Date.now() - sentAt} ms`);
  await expect(composer).toHaveValue('');

  const aliceLog = alice.page.getByRole('log', { name: 'Messages' });
  await expect(aliceLog.getByText('Hello both of you!')).toHaveCount(1);
  await expect(
    bob.page.getByRole('log', { name: 'Messages' }).getByRole('link', { name: 'https://example.com' }),
  ).toHaveAttribute('rel', 'noopener noreferrer');

  // Carol's sidebar shows the preview and one unread message.
  const carolLink = conversationLink(carol.page, titleFor(carol));
  await expect(carolLink).toContainText('Hello both of you!');
  await expect(carolLink).toContainText('1 unread');
  await expect(carol.page).toHaveTitle('(1) Parley');
  await carolLink.click();
  await expect(carol.page.getByRole('log', { name: 'Messages' }).getByText('Hello both of you!')).toBeVisible();
  await expect(carol.page).toHaveTitle('Parley');

  // Bob answers with a line break (Shift+Enter) and everyone sees it once.
  const bobComposer = bob.page.getByRole('textbox', { name: 'Message' });
  await bobComposer.fill('Hi Alice');
  await bobComposer.press('Shift+Enter');
  await bobComposer.pressSequentially('and Carol');
  await bobComposer.press('Enter');
  for (const { page } of [alice, bob, carol]) {
    await expect(page.getByRole('log', { name: 'Messages' }).getByText(/Hi Alice\s+and Carol/)).toHaveCount(1);
  }

  // A reload mid-conversation keeps everything.
  await bob.page.reload();
  await expect(bob.page.getByRole('heading', { name: titleFor(bob) })).toBeVisible();
  const bobLog = bob.page.getByRole('log', { name: 'Messages' });
  await expect(bobLog.getByText('Hello both of you!')).toBeVisible();
  await expect(bobLog.getByText(/Hi Alice\s+and Carol/)).toHaveCount(1);
  await expect(bob.page.getByText(carol.nickname).first()).toBeVisible();

  // Dave, who is not a member, learns nothing about it.
  await dave.page.goto(conversationUrl);
  await expect(dave.page.getByText(/not found/i)).toBeVisible();
  await expect(dave.page.getByRole('log', { name: 'Messages' })).toHaveCount(0);
  await expect(dave.page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
  await expect(dave.page.getByText('Hello both of you!')).toHaveCount(0);
  await expect(dave.page.getByText(titleFor(alice))).toHaveCount(0);

  await Promise.all([alice, bob, carol, dave].map(({ context }) => context.close()));
});
