import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';

export interface TestUser {
  id: number;
  nickname: string;
  email: string;
  password: string;
  context: BrowserContext;
  page: Page;
}

/** A nickname no other test of the run uses (the specs share one database). */
export function uniqueName(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A user registered through the API in a browser context of their own, so the context's cookie jar
 * holds the session and every page opened in it is signed in. One line per person in a story.
 * Cookies belong to an origin: for a server of the spec's own (support/server.ts), pass
 * `{ baseURL: server.url }` so the account, its session and its pages all use that server.
 */
export async function signedInUser(
  browser: Browser,
  prefix: string,
  options: BrowserContextOptions = {},
): Promise<TestUser> {
  const context = await browser.newContext(options);
  const nickname = uniqueName(prefix);
  const email = `${nickname.toLowerCase()}@example.test`;
  const password = 'correct horse battery staple';
  const response = await context.request.post('/api/auth/register', { data: { email, nickname, password } });
  if (!response.ok()) throw new Error(`registering ${nickname} failed: ${response.status()} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: number } };
  const page = await context.newPage();
  return { id: user.id, nickname, email, password, context, page };
}

/** A conversation created by `owner` through the API; returns its id. */
export async function createConversation(owner: TestUser, members: TestUser[], title?: string): Promise<number> {
  const response = await owner.context.request.post('/api/conversations', {
    data: { memberIds: members.map((m) => m.id), ...(title ? { title } : {}) },
  });
  if (!response.ok()) throw new Error(`creating a conversation failed: ${response.status()} ${await response.text()}`);
  const { conversation } = (await response.json()) as { conversation: { id: number } };
  return conversation.id;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The sidebar link of a conversation: its accessible name starts with the title. */
export function conversationLink(page: Page, title: string) {
  return page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('link', { name: new RegExp(`^${escapeRegExp(title)}`) });
}
