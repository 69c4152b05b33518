import { expect, type Locator, type Page } from '@playwright/test';
import type { TestUser } from './users.ts';

/** Sends as `from` through the API (no page involved); answers the new message's id. */
export async function sendMessage(from: TestUser, conversationId: number, content: string): Promise<number> {
  const response = await from.context.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content },
  });
  if (response.status() !== 201) throw new Error(`sending failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { message: { id: number } }).message.id;
}

/** The message (an `article` in the log) that holds this text. */
export const messageWith = (page: Page, text: string) =>
  page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: text });

/** Reacts 👍 to `message` through its React action and the emoji picker, as a user does. */
export async function reactWithThumbsUp(page: Page, message: Locator): Promise<void> {
  await message.hover();
  await message.getByRole('button', { name: 'React' }).click();
  const picker = page.getByRole('dialog', { name: 'Pick an emoji' });
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('thumbs up');
  await picker.getByRole('gridcell', { name: 'Thumbs up' }).first().click();
  await expect(picker).toHaveCount(0);
  await expect(message.getByRole('button', { name: /^👍/ })).toHaveAttribute('aria-pressed', 'true');
}
