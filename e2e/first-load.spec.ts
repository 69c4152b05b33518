import { expect, type Page, test } from '@playwright/test';
import { messageWith, reactWithThumbsUp } from './support/messages.ts';
import { conversationLink, createConversation, signedInUser, uniqueName } from './support/users.ts';

// ADR 049: the Markdown renderer, the emoji picker, search, the socket and the toasts are chunks of their
// own, fetched when first needed. These stories open a conversation cold and use each piece for the
// first time, watching which chunks the page fetched.

/** The chunk names (hash dropped) of the scripts the page has requested so far. */
function chunksRequested(page: Page): () => string[] {
  const chunks: string[] = [];
  page.on('request', (request) => {
    const match = /\/assets\/(.+)-[\w-]{8}\.js$/.exec(new URL(request.url()).pathname);
    if (match) chunks.push(match[1]!);
  });
  return () => chunks;
}

test('a cold load renders Markdown, then the picker, search and live messages work the first time they are used', async ({
  browser,
}) => {
  test.slow();
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const conversationId = await createConversation(alice, [bob], uniqueName('Cold load '));
  const word = uniqueName('quokka');
  const sent = await bob.context.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content: `Look: **${word}** and \`npm i\`` },
  });
  expect(sent.ok()).toBe(true);

  const { page } = alice;
  const chunks = chunksRequested(page);
  // ADR 058: ICU's start-up is paid in a worker of the page's own origin (the CSP allows no other).
  const intlWorker = page.waitForEvent('worker', (worker) => worker.url().includes('/assets/intl-warm-up.worker-'));
  await page.goto(`/c/${conversationId}`);
  await intlWorker;

  // Markdown: the message ends up rendered (bold and code), whether it first showed as plain text or not.
  const message = messageWith(page, word);
  await expect(message.locator('strong')).toHaveText(word);
  await expect(message.locator('code')).toHaveText('npm i');
  // Its time, in the browser's locale, from the formatters built once the worker has paid ICU's start-up.
  const createdAt = await message.locator('time').getAttribute('datetime');
  const expected = await page.evaluate(
    (iso) => new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso!)),
    createdAt,
  );
  await expect(message.locator('time')).toHaveText(expected);
  expect(chunks()).toContain('message-markup');
  // Neither the picker nor search was fetched for the conversation to render.
  expect(chunks()).not.toContain('emoji-picker-panel');
  expect(chunks()).not.toContain('search-page');

  // The emoji picker, on first use.
  await reactWithThumbsUp(page, message);
  expect(chunks()).toContain('emoji-picker-panel');

  // The socket (its own chunk) delivers a live message without a reload.
  const live = uniqueName('Live ');
  await bob.context.request.post(`/api/conversations/${conversationId}/messages`, { data: { content: live } });
  await expect(messageWith(page, live)).toBeVisible();
  expect(chunks()).toContain('socket');

  // Search, on first use: the result is the message, with the word marked.
  await page.getByRole('searchbox', { name: 'Search messages' }).fill(word);
  const results = page.getByRole('region', { name: 'Search results' });
  await expect(results.getByRole('link').filter({ hasText: word })).toHaveCount(1);
  await expect(results.locator('mark').first()).toHaveText(word, { ignoreCase: true });
  expect(chunks()).toContain('search-page');
});

test('a message sent while the socket chunk is still loading shows once it connects, once', async ({ browser }) => {
  // No service worker: once it controls the page it serves the chunks itself, past page.route's hold.
  const alice = await signedInUser(browser, 'Alice', { serviceWorkers: 'block' });
  const bob = await signedInUser(browser, 'Bob');
  const conversationId = await createConversation(alice, [bob], uniqueName('Gap '));
  const before = uniqueName('Before ');
  await bob.context.request.post(`/api/conversations/${conversationId}/messages`, { data: { content: before } });

  // Hold socket.io-client's chunk: the history renders, but nothing listens for live events yet.
  const { page } = alice;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let requested: () => void = () => {};
  const socketRequested = new Promise<void>((resolve) => {
    requested = resolve;
  });
  await page.route(/\/assets\/socket-[\w-]{8}\.js$/, async (route) => {
    requested();
    await held;
    await route.continue();
  });
  await page.goto(`/c/${conversationId}`);
  await expect(messageWith(page, before)).toBeVisible();
  await socketRequested;

  const during = uniqueName('During ');
  const sent = await bob.context.request.post(`/api/conversations/${conversationId}/messages`, {
    data: { content: during },
  });
  expect(sent.ok()).toBe(true);
  release();

  // The first connect catches up what the history missed: the message appears, exactly once.
  await expect(messageWith(page, during)).toHaveCount(1);
  const after = uniqueName('After ');
  await bob.context.request.post(`/api/conversations/${conversationId}/messages`, { data: { content: after } });
  await expect(messageWith(page, after)).toBeVisible();
  await expect(messageWith(page, during)).toHaveCount(1);
});

test('a toast asked for while the Toaster chunk is still loading appears once it is in', async ({ browser }) => {
  // No service worker: once it controls the page it serves the chunks itself, past page.route's hold.
  const alice = await signedInUser(browser, 'Alice', { serviceWorkers: 'block' });
  const bob = await signedInUser(browser, 'Bob');
  const title = uniqueName('Toasted ');
  const id = await createConversation(bob, [alice], title);
  const { page } = alice;
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/assets\/app-toaster-[\w-]{8}\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  // The list is in before the first message is sent, so that message can only reach the sidebar through
  // the socket: once the preview shows it, the socket is listening (it may come by the first connect's
  // catch-up, which raises no toast).
  await expect(conversationLink(page, title)).toBeVisible();
  const first = uniqueName('listening ');
  await bob.context.request.post(`/api/conversations/${id}/messages`, { data: { content: first } });
  await expect(conversationLink(page, title)).toContainText(first);
  // This one comes live and asks for a toast, with no Toaster on the page yet.
  const content = uniqueName('while loading ');
  await bob.context.request.post(`/api/conversations/${id}/messages`, { data: { content } });
  await expect(conversationLink(page, title)).toContainText(content);
  await expect(page.locator('[data-sonner-toaster]')).toHaveCount(0);
  release();
  await expect(page.locator('[data-sonner-toast]').filter({ hasText: content })).toBeVisible();
});

/** WCAG contrast ratio of the own bubble's time against the bubble, from the colours Chromium computed. */
async function ownTimeContrast(page: Page): Promise<number> {
  return page
    .getByRole('log', { name: 'Messages' })
    .getByRole('article')
    .last()
    .locator('time')
    .evaluate((time) => {
      // Any CSS colour (rgb, oklab, color-mix…) to sRGB bytes, through a canvas pixel.
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const rgba = (color: string) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = color;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
        return { r: r!, g: g!, b: b!, a: a! / 255 };
      };
      let element: Element | null = time.parentElement;
      let background = rgba('transparent');
      while (element && background.a === 0) {
        background = rgba(getComputedStyle(element).backgroundColor);
        element = element.parentElement;
      }
      const fg = rgba(getComputedStyle(time).color);
      const over = (c: number, under: number) => c * fg.a + under * (1 - fg.a);
      const luminance = (r: number, g: number, b: number) => {
        const lin = (v: number) => {
          const s = v / 255;
          return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
      };
      const lf = luminance(over(fg.r, background.r), over(fg.g, background.g), over(fg.b, background.b));
      const lb = luminance(background.r, background.g, background.b);
      return (Math.max(lf, lb) + 0.05) / (Math.min(lf, lb) + 0.05);
    });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the time under my own message reads at 4.5:1 or more in the ${colorScheme} theme`, async ({ browser }) => {
    const alice = await signedInUser(browser, 'Alice', { colorScheme });
    const bob = await signedInUser(browser, 'Bob');
    const conversationId = await createConversation(alice, [bob]);
    const text = uniqueName('Mine ');
    await alice.context.request.post(`/api/conversations/${conversationId}/messages`, { data: { content: text } });
    await alice.page.goto(`/c/${conversationId}`);
    await expect(messageWith(alice.page, text)).toBeVisible();
    expect(await ownTimeContrast(alice.page)).toBeGreaterThanOrEqual(4.5);
  });
}

test('a signed-in cold load asks for its first screen while the scripts load, and no read goes out twice', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const conversationId = await createConversation(alice, [bob], uniqueName('Early '));
  const word = uniqueName('Early ');
  await bob.context.request.post(`/api/conversations/${conversationId}/messages`, { data: { content: word } });

  // ADR 059: who asked for each API read, as Chromium saw it: index.html's inline script has the page's own
  // URL at the top of its stack; the app's requests have a chunk under /assets there.
  const { page } = alice;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const reads: { path: string; from: string }[] = [];
  cdp.on('Network.requestWillBeSent', (sent) => {
    const url = new URL(sent.request.url);
    if (sent.request.method !== 'GET' || !url.pathname.startsWith('/api/')) return;
    const from = sent.initiator.stack?.callFrames[0]?.url ?? sent.initiator.url ?? sent.initiator.type;
    reads.push({ path: url.pathname + url.search, from: new URL(from, url).pathname });
  });
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });

  await page.goto(`/c/${conversationId}`);
  await expect(messageWith(page, word)).toBeVisible();

  const firstScreen = [
    '/api/auth/me',
    '/api/conversations',
    `/api/conversations/${conversationId}`,
    `/api/conversations/${conversationId}/messages?limit=50`,
  ];
  for (const path of firstScreen) {
    expect(reads.find((read) => read.path === path)?.from, path).toBe(`/c/${conversationId}`);
  }
  // The app took those answers instead of asking again. (The list is asked for again on purpose once the
  // socket is in its rooms: what changed before it joined, the resync after every connect.)
  for (const path of firstScreen.filter((p) => p !== '/api/conversations')) {
    expect(
      reads.filter((read) => read.path === path),
      path,
    ).toHaveLength(1);
  }
  expect(refused).toEqual([]);
});
