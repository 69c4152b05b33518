import { expect, test } from '@playwright/test';
import { messageWith, reactWithThumbsUp, sendMessage } from './support/messages.ts';
import { conversationLink, createConversation, signedInUser } from './support/users.ts';

declare global {
  interface Window {
    __sameDocument?: string;
  }
}

test('changes made while a member is offline all reach them once, without a reload', async ({ browser }) => {
  // Two people, an offline stretch and a dozen UI steps: more than the default budget on a busy machine.
  test.slow();
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob], 'Replay');
  const otherId = await createConversation(alice, [bob], 'Side chat');
  for (const text of ['First: typo here', 'Second: regrettable', 'Third: lunch?', 'Fourth: question']) {
    await sendMessage(alice, id, text);
  }

  await Promise.all([alice.page.goto(`/c/${id}`), bob.page.goto(`/c/${id}`)]);
  const bobLog = bob.page.getByRole('log', { name: 'Messages' });
  await expect(bobLog.getByText('Fourth: question')).toBeVisible();
  // Bob reads everything in the open conversation; the side chat has nothing yet.
  await expect(conversationLink(bob.page, 'Replay')).not.toContainText('unread');
  // On someone else's message Bob may react and reply, not edit or delete; Alice owns the group, so she
  // may delete his.
  const theirs = messageWith(bob.page, 'First: typo here');
  await theirs.hover();
  await expect(theirs.getByRole('button', { name: 'React' })).toBeVisible();
  await expect(theirs.getByRole('button', { name: 'Reply' })).toBeVisible();
  await expect(theirs.getByRole('button', { name: /^(Edit|Delete)$/ })).toHaveCount(0);
  await sendMessage(bob, id, 'Bob was here');
  const his = messageWith(alice.page, 'Bob was here');
  await his.hover();
  await expect(his.getByRole('button', { name: 'Delete' })).toBeVisible();
  await expect(his.getByRole('button', { name: 'Edit' })).toHaveCount(0);

  // A marker in the page's memory: a reload would lose it.
  await bob.page.evaluate(() => {
    window.__sameDocument = 'kept';
  });

  await bob.context.setOffline(true);
  await expect(bob.page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible({ timeout: 15_000 });

  // Alice edits one message, deletes another, reacts to a third and replies to a fourth.
  const { page } = alice;
  const first = messageWith(page, 'First: typo here');
  await first.hover();
  await first.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('textbox', { name: 'Edit message' });
  await edit.fill('First: fixed');
  await edit.press('Enter');
  const fixed = messageWith(page, 'First: fixed');
  await expect(fixed).toContainText('(edited)');
  // Focus goes back to the opener.
  await expect(fixed.getByRole('button', { name: 'Edit' })).toBeFocused();

  const second = messageWith(page, 'Second: regrettable');
  await second.hover();
  await second.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete message?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  const tombstone = messageWith(page, 'This message was deleted');
  await expect(tombstone).toBeVisible();
  // Its actions are gone with its content: focus lands on the message itself.
  await expect(tombstone).toBeFocused();

  const third = messageWith(page, 'Third: lunch?');
  await reactWithThumbsUp(page, third);

  const fourth = messageWith(page, 'Fourth: question');
  await fourth.hover();
  await fourth.getByRole('button', { name: 'Reply' }).click();
  await expect(page.getByText(`Replying to ${alice.nickname}`)).toBeVisible();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await expect(composer).toBeFocused();
  // A reply can be called off, and chosen again.
  await page.getByRole('button', { name: 'Cancel reply' }).click();
  await expect(page.getByText(`Replying to ${alice.nickname}`)).toHaveCount(0);
  await expect(composer).toBeFocused();
  await fourth.hover();
  await fourth.getByRole('button', { name: 'Reply' }).click();
  await expect(page.getByText(`Replying to ${alice.nickname}`)).toBeVisible();
  await composer.fill('Answering myself');
  await composer.press('Enter');
  await expect(page.getByText(`Replying to ${alice.nickname}`)).toHaveCount(0);

  // Meanwhile the side chat gets two messages Bob has not seen.
  await sendMessage(alice, otherId, 'Side one');
  await sendMessage(alice, otherId, 'Side two');

  // Bob is back: everything is there, once, in the same document.
  await bob.context.setOffline(false);
  await expect(bob.page.getByText('Reconnecting…')).toHaveCount(0, { timeout: 15_000 });
  await expect(messageWith(bob.page, 'First: fixed')).toContainText('(edited)');
  await expect(bobLog.getByText('First: typo here')).toHaveCount(0);
  await expect(bobLog.getByText('Second: regrettable')).toHaveCount(0);
  await expect(bobLog.getByText('This message was deleted')).toHaveCount(1);
  const reaction = messageWith(bob.page, 'Third: lunch?').getByRole('button', { name: /^👍/ });
  await expect(reaction).toHaveText(/👍\s*1/);
  await expect(reaction).toHaveAttribute('aria-pressed', 'false');
  // Who reacted is one hover away.
  await reaction.hover();
  await expect(bob.page.getByRole('tooltip')).toHaveText(`${alice.nickname} reacted with 👍`);
  const reply = messageWith(bob.page, 'Answering myself');
  await expect(reply).toHaveCount(1);
  const quote = reply.getByRole('button', { name: /Fourth: question/ });
  await expect(quote).toContainText(alice.nickname);
  await expect(bobLog.getByText('Answering myself')).toHaveCount(1);
  await expect(messageWith(bob.page, '(edited)')).toHaveCount(1);

  // Unread: the side chat's two, counted once; the open conversation's reply is read as it arrives.
  await expect(conversationLink(bob.page, 'Side chat')).toContainText('2 unread');
  await expect(conversationLink(bob.page, 'Replay')).not.toContainText('unread');
  expect(await bob.page.evaluate(() => window.__sameDocument)).toBe('kept');

  // The quote jumps to the original and highlights it.
  await quote.click();
  await expect(messageWith(bob.page, 'Fourth: question').filter({ hasNotText: 'Answering myself' })).toBeFocused();

  await Promise.all([alice, bob].map(({ context }) => context.close()));
});
