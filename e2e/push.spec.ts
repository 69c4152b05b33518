import { type BrowserContext, type CDPSession, expect, type Page, test, type Worker } from '@playwright/test';
import { sendMessage } from './support/messages.ts';
import { createConversation, signedInUser, type TestUser } from './support/users.ts';

// Chromium here reaches no real push service, so pushes are delivered to the service worker through
// the DevTools protocol (ServiceWorker.deliverPushMessage), as the server would have sent them.
// Playwright cannot see OS notifications: the worker's `registration.showNotification` is wrapped to
// count what is shown, and `registration.getNotifications()` says what is on screen.

type Shown = { title: string; tag: string | undefined; messageId: number | undefined };
type WorkerScope = {
  registration: ServiceWorkerRegistration;
  __shown?: Shown[];
};

/** The service worker controlling `page` (registered at start), with its notifications counted. */
async function serviceWorker(context: BrowserContext, page: Page): Promise<Worker> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(() => {
    const scope = self as unknown as WorkerScope;
    if (scope.__shown) return;
    const shown: Shown[] = [];
    scope.__shown = shown;
    const original = scope.registration.showNotification.bind(scope.registration);
    scope.registration.showNotification = (title, options) => {
      shown.push({ title, tag: options?.tag, messageId: options?.data?.messageId });
      return original(title, options);
    };
  });
  return worker;
}

const shownBy = (worker: Worker) => worker.evaluate(() => (self as unknown as WorkerScope).__shown ?? []);

/** Counts `new Notification(...)` in every page of the context: with a worker in control, none. */
async function countPageNotifications(context: BrowserContext) {
  await context.addInitScript(() => {
    const Original = window.Notification;
    const counted = function (this: Notification, title: string, options?: NotificationOptions) {
      (window as unknown as { __pageNotifications: number }).__pageNotifications += 1;
      return new Original(title, options);
    } as unknown as typeof Notification;
    Object.defineProperty(counted, 'permission', { get: () => Original.permission });
    counted.requestPermission = Original.requestPermission.bind(Original);
    (window as unknown as { __pageNotifications: number }).__pageNotifications = 0;
    window.Notification = counted;
  });
}
const pageNotifications = (page: Page) =>
  page.evaluate(() => (window as unknown as { __pageNotifications?: number }).__pageNotifications ?? 0);

/** A DevTools session on `page` that can push to the origin's service worker registration. */
async function pushSender(page: Page) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  return (payload: object) =>
    cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
}

async function signIn(context: BrowserContext, user: TestUser) {
  const response = await context.request.post('/api/auth/login', {
    data: { email: user.email, password: user.password },
  });
  expect(response.status()).toBe(200);
}

test('a push shows one notification per conversation while no Parley tab is open, and a click opens it', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob', { permissions: ['notifications'] });
  const conversationId = await createConversation(alice, [bob], 'Lunch plans');
  await bob.page.goto('/');
  const worker = await serviceWorker(bob.context, bob.page);
  const push = await pushSender(bob.page);

  // No Parley window: Bob's only tab is elsewhere.
  await bob.page.goto('about:blank');
  const payload = (messageId: number, body: string) => ({
    conversationId,
    messageId,
    title: `${alice.nickname} in Lunch plans`,
    body,
    url: `/c/${conversationId}`,
  });
  await push(payload(1001, 'Noon?'));
  await expect.poll(() => shownBy(worker)).toHaveLength(1);
  // A newer push for the same conversation replaces the notification (its tag), it does not add one.
  await push(payload(1002, 'Or one?'));
  await expect.poll(() => shownBy(worker)).toHaveLength(2);
  const onScreen = () =>
    worker.evaluate(async () =>
      (await (self as unknown as WorkerScope).registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        url: n.data?.url,
      })),
    );
  await expect.poll(onScreen).toEqual([
    {
      title: `${alice.nickname} in Lunch plans`,
      body: 'Or one?',
      tag: `conversation-${conversationId}`,
      url: `/c/${conversationId}`,
    },
  ]);

  // A click focuses the open Parley window and shows the conversation there. Playwright cannot click an
  // OS notification, so the worker gets the click as an event dispatched on it with that notification.
  await bob.page.goto('/');
  await expect(bob.page.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
  await worker.evaluate(async () => {
    type NotificationEventClass = new (type: string, init: { notification: Notification }) => Event;
    const scope = self as unknown as WorkerScope & EventTarget & { NotificationEvent: NotificationEventClass };
    const [notification] = await scope.registration.getNotifications();
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification! }));
  });
  await expect(bob.page).toHaveURL(new RegExp(`/c/${conversationId}$`));
  await expect(bob.page.getByRole('heading', { name: 'Lunch plans' })).toBeVisible();
  expect(
    await worker.evaluate(async () => (await (self as unknown as WorkerScope).registration.getNotifications()).length),
  ).toBe(0);

  // While a Parley window is visible, a push is left to that window's own notifier.
  await push(payload(1003, 'While looking'));
  // The barrier: once no window is left, the next push is shown; the one before it had its turn first.
  await bob.page.goto('about:blank');
  await push(payload(1004, 'After looking'));
  await expect.poll(async () => (await shownBy(worker)).map((s) => s.messageId)).toContain(1004);
  expect((await shownBy(worker)).map((s) => s.messageId)).toEqual([1001, 1002, 1004]);
});

test('one notification per message: two tabs on one device, a second device, and a push racing the tab', async ({
  browser,
}) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob', { permissions: ['notifications'] });
  const conversationId = await createConversation(alice, [bob], 'Two devices');
  await countPageNotifications(bob.context);

  // Device A (Bob's laptop): two tabs, both on the conversation list, so neither shows the conversation.
  const secondTab = await bob.context.newPage();
  await Promise.all([bob.page.goto('/'), secondTab.goto('/')]);
  const laptop = await serviceWorker(bob.context, bob.page);
  await secondTab.waitForFunction(() => navigator.serviceWorker?.controller !== null);

  // Device B (Bob's phone): another browser context, another session, one tab.
  const phoneContext = await browser.newContext({ permissions: ['notifications'] });
  await countPageNotifications(phoneContext);
  await signIn(phoneContext, bob);
  const phonePage = await phoneContext.newPage();
  await phonePage.goto('/');
  const phone = await serviceWorker(phoneContext, phonePage);
  for (const page of [bob.page, secondTab, phonePage]) {
    await expect(page.getByRole('navigation', { name: 'Conversations' }).getByRole('link')).toHaveCount(1);
  }

  const first = await sendMessage(alice, conversationId, 'Are you there?');
  // The barrier: a later message shown on a device proves the earlier one had its chance there too.
  const barrier = await sendMessage(alice, conversationId, 'Hello?');
  // Two devices' pushes go through the fake push service and the DevTools protocol one after the other:
  // on a loaded 2-core machine the second has taken over 5 s (a CI retry), so the wait is longer.
  await expect
    .poll(async () => (await shownBy(laptop)).map((s) => s.messageId), { timeout: 15_000 })
    .toContain(barrier);
  await expect.poll(async () => (await shownBy(phone)).map((s) => s.messageId), { timeout: 15_000 }).toContain(barrier);

  const perDevice = async (worker: Worker, pages: Page[]) => ({
    byWorker: (await shownBy(worker)).filter((s) => s.messageId === first).length,
    byPages: (await Promise.all(pages.map(pageNotifications))).reduce((a, b) => a + b, 0),
  });
  const laptopCount = await perDevice(laptop, [bob.page, secondTab]);
  const phoneCount = await perDevice(phone, [phonePage]);
  console.log(
    `notifications for one message: laptop (2 tabs) ${JSON.stringify(laptopCount)}, phone ${JSON.stringify(phoneCount)}`,
  );
  expect(laptopCount).toEqual({ byWorker: 1, byPages: 0 });
  expect(phoneCount).toEqual({ byWorker: 1, byPages: 0 });

  // The server pushes the same message to the laptop too (its tabs' attention reached it late), after
  // the tabs have gone: the worker has shown that message already and shows it no second time.
  const push = await pushSender(bob.page);
  await secondTab.close();
  await bob.page.goto('about:blank');
  await push({ conversationId, messageId: first, title: 'again', body: 'Are you there?', url: `/c/${conversationId}` });
  await push({ conversationId, messageId: barrier + 1000, title: 'barrier', body: '…', url: `/c/${conversationId}` });
  await expect.poll(async () => (await shownBy(laptop)).map((s) => s.messageId)).toContain(barrier + 1000);
  expect((await shownBy(laptop)).filter((s) => s.messageId === first)).toHaveLength(1);
  await phoneContext.close();
});

test('the push checkbox says why when the browser cannot subscribe, never failing silently', async ({ browser }) => {
  // Notifications blocked for the site: the checkbox is disabled and says so.
  const carol = await signedInUser(browser, 'Carol');
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.setPermission', {
    permission: { name: 'notifications' },
    setting: 'denied',
    origin: new URL(test.info().project.use.baseURL ?? 'http://localhost').origin,
    browserContextId: await contextId(carol.page),
  });
  await carol.page.goto('/profile');
  const blocked = carol.page.getByRole('checkbox', { name: 'Push notifications on this device' });
  await expect(blocked).toBeDisabled();
  await expect(blocked).toHaveAccessibleDescription(/Notifications are blocked for this site/);

  // Allowed, but this Chromium has no push service to subscribe with: the answer is shown.
  const dave = await signedInUser(browser, 'Dave', { permissions: ['notifications'] });
  await dave.page.goto('/profile');
  const checkbox = dave.page.getByRole('checkbox', { name: 'Push notifications on this device' });
  await expect(checkbox).toBeEnabled();
  await checkbox.click();
  // Chromium here has no push service (it answers "Registration failed - permission denied").
  await expect(dave.page.getByRole('alert')).toHaveText(/^This browser could not subscribe: \S/);
  await expect(checkbox).not.toBeChecked();
  await expect(checkbox).toBeEnabled();
  await expect(checkbox).toHaveAccessibleDescription(/This browser could not subscribe: \S/);
});

test('a reload while offline still shows the app, saying it is reconnecting', async ({ browser }) => {
  const erin = await signedInUser(browser, 'Erin');
  await erin.page.goto('/');
  await serviceWorker(erin.context, erin.page);
  await expect(erin.page.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
  await erin.context.setOffline(true);
  await erin.page.reload();
  await expect(erin.page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible({ timeout: 10_000 });
  await erin.context.setOffline(false);
  await expect(erin.page.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
});

/** The DevTools id of the page's browser context, which Browser.setPermission takes. */
async function contextId(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  const { targetInfo } = await session.send('Target.getTargetInfo');
  await session.detach();
  if (!targetInfo.browserContextId) throw new Error('no browser context for the page');
  return targetInfo.browserContextId;
}

test('installable: a manifest with icons, the worker never cached for good', async ({ request, page }) => {
  await page.goto('/login');
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBe('/manifest.webmanifest');
  const themeColours = await page
    .locator('meta[name="theme-color"]')
    .evaluateAll((metas) => metas.map((m) => m.getAttribute('media')));
  expect(themeColours).toEqual(['(prefers-color-scheme: light)', '(prefers-color-scheme: dark)']);

  const manifest = await request.get(manifestHref!);
  expect(manifest.ok()).toBe(true);
  const { icons, start_url, display } = (await manifest.json()) as {
    icons: { src: string; sizes: string; purpose: string }[];
    start_url: string;
    display: string;
  };
  expect(start_url).toBe('/');
  expect(display).toBe('standalone');
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of icons) {
    const png = await request.get(icon.src);
    expect(png.headers()['content-type']).toBe('image/png');
    const body = await png.body();
    const [width, height] = [body.readUInt32BE(16), body.readUInt32BE(20)];
    expect(`${width}x${height}`).toBe(icon.sizes);
  }

  // The worker's URL never changes, so it is revalidated on every check, never kept for a year.
  const worker = await request.get('/sw.js');
  expect(worker.headers()['cache-control']).toBe('no-cache');
  expect(worker.headers()['content-type']).toMatch(/javascript/);
});
