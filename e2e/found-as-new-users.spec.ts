import { expect, test } from '@playwright/test';
import { conversationLink, createConversation, signedInUser } from './support/users.ts';

test('signing out in one tab sends every tab of the browser to /login', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const second = await alice.context.newPage();
  await Promise.all([alice.page.goto('/'), second.goto('/profile')]);
  await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(alice.page).toHaveURL(/\/login$/);
  await expect(second).toHaveURL(/\/login$/);
  await expect(second.getByText('Reconnecting…')).toHaveCount(0);
  await alice.context.close();
});

test('message toasts stay below the top bar and stack, so Sign out stays clickable', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(bob, [alice], 'Toasts');
  await alice.page.goto('/');
  await expect(conversationLink(alice.page, 'Toasts')).toBeVisible();
  // The sidebar's preview moves only on a live event: once it shows this, Alice's socket is listening.
  await bob.context.request.post(`/api/conversations/${id}/messages`, { data: { content: 'first toast' } });
  await expect(conversationLink(alice.page, 'Toasts')).toContainText('first toast');
  for (const content of ['second toast', 'third toast']) {
    await bob.context.request.post(`/api/conversations/${id}/messages`, { data: { content } });
  }
  // The two sent while listening are toasts, stacked (the first too, unless it came by a catch-up).
  const toasts = alice.page.locator('[data-sonner-toast]');
  await expect(toasts.filter({ hasText: 'third toast' })).toBeVisible();
  await expect(toasts.filter({ hasText: 'second toast' })).toBeVisible();
  const bar = await alice.page.locator('header').first().boundingBox();
  // A toast slides in from above: where it comes to rest is what counts, so poll until it settles.
  for (const toast of await toasts.all()) {
    await expect.poll(async () => (await toast.boundingBox())?.y ?? 0).toBeGreaterThanOrEqual(bar!.y + bar!.height);
  }
  // The button is hit by a click at its centre: nothing lies over it.
  await alice.page.getByRole('button', { name: 'Sign out' }).click({ trial: true, timeout: 2_000 });
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('at the send limit, a queued message says when sending resumes, not that the connection is gone', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const id = await createConversation(alice, [bob], 'Fast');
  // The whole limit (SEND_RATE_LIMIT 30 per 10 s in the e2e server) spent through the API.
  for (let i = 0; i < 30; i++) {
    const res = await alice.context.request.post(`/api/conversations/${id}/messages`, { data: { content: `m${i}` } });
    expect(res.status()).toBe(201);
  }
  await alice.page.goto(`/c/${id}`);
  const composer = alice.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('one too many');
  await composer.press('Enter');
  await expect(
    alice.page.getByRole('status').filter({ hasText: /Sending too fast — resuming in \d+ s/ }),
  ).toBeVisible();
  await expect(alice.page.getByText('Waiting for connection…')).toHaveCount(0);
  // It goes out by itself once the window has passed.
  await expect(alice.page.getByText('Sending too fast')).toHaveCount(0, { timeout: 15_000 });
  await expect(alice.page.getByRole('log', { name: 'Messages' }).getByText('one too many')).toBeVisible();
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('the New conversation dialog does not overlap its own fields at 200% zoom', async ({ browser }) => {
  // 200% zoom of a 1280×720 window is a 640×360 CSS viewport.
  const alice = await signedInUser(browser, 'Alice', { viewport: { width: 640, height: 360 } });
  await signedInUser(browser, 'Bob');
  await alice.page.goto('/');
  await alice.page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'New conversation' });
  const parts = [
    dialog.getByRole('searchbox', { name: 'Search contacts' }),
    // The scrolling box of contacts (the list's parent), then the title's label and field.
    dialog.getByRole('list').locator('..'),
    dialog.getByText('Title (optional)', { exact: true }),
    dialog.getByRole('textbox', { name: 'Title (optional)' }),
    dialog.getByRole('button', { name: 'Create' }),
  ];
  const boxes = [];
  for (const part of parts) boxes.push((await part.boundingBox())!);
  for (let i = 1; i < boxes.length; i++) {
    // Each part starts below the end of the one before it.
    expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height - 0.5);
  }
  // Everything can be reached: the dialog scrolls instead of squeezing.
  await parts[4]!.scrollIntoViewIfNeeded();
  await expect(parts[4]!).toBeInViewport();
  await alice.context.close();
});
