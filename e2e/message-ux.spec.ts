import { expect, test } from '@playwright/test';
import { messageWith, sendMessage } from './support/messages.ts';
import { conversationLink, createConversation, signedInUser } from './support/users.ts';

test('a long word wraps, one sender is named once per run, and unread messages open at "New messages"', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob], 'Backlog');
  await sendMessage(alice, id, 'Read before');
  await sendMessage(alice, id, 'x'.repeat(320));

  const log = bob.page.getByRole('log', { name: 'Messages' });
  await bob.page.goto(`/c/${id}`);
  await expect(log.getByText('Read before')).toBeVisible();
  // The 320-character word stays inside its bubble: the history never scrolls sideways.
  expect(await log.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  // Two messages of one sender, one visible name (each article still holds it for screen readers).
  const visibleNames = await log.evaluate(
    (el, name) =>
      Array.from(el.querySelectorAll('article span')).filter(
        (span) => span.textContent === name && !span.classList.contains('sr-only'),
      ).length,
    alice.nickname,
  );
  expect(visibleNames).toBe(1);
  await expect(log.getByRole('article')).toHaveCount(2);
  // Both were unread: the separator stands above the first.
  await expect(log.getByText('New messages')).toHaveCount(1);

  // Once the server has them as read (the sidebar's count goes), Bob leaves; 25 messages arrive; opening again lands at the first of them, under "New messages".
  await expect(conversationLink(bob.page, 'Backlog')).not.toContainText('unread');
  await bob.page.goto('/');
  for (let n = 1; n <= 25; n++) await sendMessage(alice, id, `Backlog message ${n}`);
  await expect(conversationLink(bob.page, 'Backlog')).toContainText('25 unread');
  await conversationLink(bob.page, 'Backlog').click();
  await expect(log.getByText('New messages')).toBeInViewport();
  await expect(log.getByText('Backlog message 1', { exact: true })).toBeInViewport();
  // It sits right above the first unread message, below what was read.
  const top = async (text: string) => (await log.getByText(text, { exact: true }).boundingBox())?.y ?? Number.NaN;
  expect(await top('New messages')).toBeLessThan(await top('Backlog message 1'));
  await log.getByText('Read before').scrollIntoViewIfNeeded();
  expect(await top('Read before')).toBeLessThan(await top('New messages'));
  await expect(log.getByText('Backlog message 25', { exact: true })).not.toBeInViewport();

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});

test('Up edits my last message and Escape cancels; after a reconnect the view follows my messages', async ({
  browser,
}) => {
  // Going offline and back, with fifteen sends in between.
  test.slow();
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob]);
  const { page } = alice;
  await page.goto(`/c/${id}`);
  const log = page.getByRole('log', { name: 'Messages' });
  // Exactly "Message": while a message is being edited, its "Edit message" box matches the name too.
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill('Frist');
  await composer.press('Enter');
  await expect(log.getByText('Frist')).toBeVisible();
  // Confirmed by the server (a message still sending cannot be edited yet).
  await expect(log.getByText(/Waiting for connection|Sending/)).toHaveCount(0);
  // A short message of mine with its actions shown does not make the history scroll sideways either.
  await log.getByRole('article').filter({ hasText: 'Frist' }).hover();
  expect(await log.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);

  await composer.press('ArrowUp');
  const edit = page.getByRole('textbox', { name: 'Edit message' });
  await expect(edit).toBeFocused();
  await expect(edit).toHaveValue('Frist');
  await edit.fill('Never mind');
  await edit.press('Escape');
  await expect(edit).toHaveCount(0);
  await expect(log.getByText('Frist')).toBeVisible();
  await expect(composer).toBeFocused();

  await composer.press('ArrowUp');
  await edit.fill('First');
  await edit.press('Enter');
  await expect(log.getByRole('article').filter({ hasText: 'First' })).toContainText('(edited)');
  await expect(composer).toBeFocused();

  // Offline, fifteen messages wait in the outbox; back online they are delivered and the newest stays in view.
  await alice.context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible({ timeout: 15_000 });
  for (let n = 1; n <= 15; n++) {
    await composer.fill(`Queued ${n}`);
    await composer.press('Enter');
  }
  await alice.context.setOffline(false);
  await expect(page.getByText('Reconnecting…')).toHaveCount(0, { timeout: 15_000 });
  await expect(log.getByText(/Waiting for connection|Sending/)).toHaveCount(0, { timeout: 15_000 });
  await expect(log.getByText('Queued 15', { exact: true })).toBeInViewport();

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});

test('the keyboard reaches a message and its actions: Tab to the message, Tab to React, Escape hands focus back', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob], 'Keys');
  await sendMessage(alice, id, 'First from Alice');
  await sendMessage(bob, id, 'Reply from Bob');

  const page = bob.page;
  await page.goto(`/c/${id}`);
  const theirs = messageWith(page, 'First from Alice');
  const mine = messageWith(page, 'Reply from Bob');
  await expect(mine).toBeVisible();
  // Actions appear on hover or focus (UI.md): none is there before either.
  await expect(page.getByRole('log', { name: 'Messages' }).getByRole('button', { name: 'Reply' })).toHaveCount(0);

  // From the history's scroll region, Tab lands on the first message, and the next on its first action.
  await page.getByRole('log', { name: 'Messages' }).focus();
  await page.keyboard.press('Tab');
  await expect(theirs).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(theirs.getByRole('button', { name: 'React' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(theirs.getByRole('button', { name: 'Reply' })).toBeFocused();
  // Not mine: no Edit, and no Delete in a group Bob does not own.
  await expect(theirs.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(theirs.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  // The picker opened from the keyboard gives focus back to React when it closes.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' });
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(theirs.getByRole('button', { name: 'React' })).toBeFocused();

  // The next message, mine, offers Edit and Delete too.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(mine).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(mine.getByRole('button', { name: 'React' })).toBeFocused();
  await expect(mine.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(mine.getByRole('button', { name: 'Delete' })).toBeVisible();
  // A message left behind is one stop again: back from mine lands on Alice's message, not on its buttons.
  await page.keyboard.press('Shift+Tab');
  await expect(mine).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(theirs).toBeFocused();
  // Named by its sender for a screen reader, as a feed's articles are.
  await expect(theirs).toHaveAccessibleName(alice.nickname);

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});
