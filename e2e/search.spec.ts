import { expect, test } from '@playwright/test';
import pg from 'pg';
import { readState } from './support/server.ts';
import { createConversation, signedInUser, uniqueName } from './support/users.ts';

const TOTAL = 2_000;
/** The one message to find: 1,500 messages from the newest, fifteen pages of a hundred back. */
const TARGET = 500;

test('Ctrl+K searches, a result opens its conversation at the message, highlighted, far back in a long history', async ({
  browser,
}) => {
  test.slow();
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const title = uniqueName('Zeppelin club ');
  const conversationId = await createConversation(alice, [bob], title);
  const word = uniqueName('zeppelin');

  // Seeded in one statement, as the app writes messages: the lower-cased plain text beside the content.
  const db = new pg.Client({ connectionString: readState().databaseUrl });
  await db.connect();
  try {
    await db.query(
      `with inserted as (
         insert into messages (conversation_id, seq, sender_id, content, search_text, created_at)
         select $1, g, case when g % 2 = 1 then $2::int else $3::int end, body, lower(body),
                now() - make_interval(secs => ($4 - g) * 30)
         from generate_series(1, $4::int) as g,
              lateral (select case when g = $5 then 'History message #' || g || ' about the **' || $6 || '** trip.'
                                   else 'History message #' || g || '.' end as body) b
         returning id, seq, created_at
       )
       update conversations c
       set last_seq = last.seq, last_activity_at = last.created_at, updated_at = now()
       from (select id, seq, created_at from inserted order by seq desc limit 1) as last
       where c.id = $1`,
      [conversationId, alice.id, bob.id, TOTAL, TARGET, word],
    );
  } finally {
    await db.end();
  }

  const { page } = alice;
  // The page's timers run on a clock the test moves, so "typed faster than the debounce" is exact.
  await page.clock.install();
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Search messages' });
  await expect(box).toBeVisible();

  // "/" focuses the box from the page, but not while typing in another field.
  await page.locator('body').press('/');
  await expect(box).toBeFocused();
  await box.blur();

  // Ctrl+K focuses it; typing shows the results once the typist pauses.
  await page.keyboard.press('Control+K');
  await expect(box).toBeFocused();
  const searches: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/search')) searches.push(new URL(request.url()).searchParams.get('q') ?? '');
  });
  const typed = word.slice(0, -2);
  // From here the page's time moves only when the test says so.
  await page.clock.pauseAt(Date.now() + 1_000);
  for (let i = 1; i <= typed.length; i++) {
    await page.keyboard.type(typed[i - 1]!);
    // The key is handled before the clock moves on (a busy browser may handle it later than CDP answers).
    await expect(box).toHaveValue(typed.slice(0, i));
    await page.clock.runFor(100);
  }
  await expect(box).toHaveValue(word.slice(0, -2));
  expect(searches).toEqual([]);
  await page.clock.runFor(300);
  await page.clock.resume();
  await expect(page).toHaveURL(/\/search\?q=/);
  const results = page.getByRole('region', { name: 'Search results' });
  const result = results.getByRole('link', { name: new RegExp(title) });
  await expect(result).toHaveCount(1);
  await expect(result).toContainText(`History message #${TARGET} about the ${word} trip.`);
  await expect(result.locator('mark')).toHaveText([word.slice(0, -2)]);
  // Typed with 100 ms between keys, the query went out once, whole, after the pause: no request per key.
  expect(searches).toEqual([word.slice(0, -2)]);

  // One key press from the box to the result, Enter opens it.
  await box.press('ArrowDown');
  await expect(result).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}\\?message=\\d+$`));

  // The page around it, scrolled to it and highlighted; the newest messages are far below.
  const log = page.getByRole('log', { name: 'Messages' });
  // Highlighted first: the mark fades after a moment, focus stays.
  const target = log.locator('article.animate-highlight');
  await expect(target).toHaveCount(1);
  await expect(target).toContainText(`History message #${TARGET} about the ${word} trip.`);
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  await expect(log.getByText(`History message #${TOTAL}.`, { exact: true })).not.toBeInViewport();

  // Back returns to the same results.
  await page.goBack();
  await expect(result).toBeVisible();
  await expect(box).toHaveValue(word.slice(0, -2));
});

test('a search opened in a conversation can be kept to it', async ({ browser }) => {
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const here = await createConversation(alice, [bob], uniqueName('Here '));
  const there = await createConversation(alice, [bob], uniqueName('There '));
  const word = uniqueName('quince');
  for (const id of [here, there]) {
    const res = await alice.page.request.post(`/api/conversations/${id}/messages`, {
      data: { content: `${word} in ${id}` },
    });
    expect(res.status()).toBe(201);
  }

  const { page } = alice;
  await page.goto(`/c/${here}`);
  await page.getByRole('textbox', { name: 'Message' }).click();
  // "/" in the composer is text, not a shortcut.
  await page.keyboard.type('a/b');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('a/b');
  await page.keyboard.press('Control+K');
  await page.keyboard.type(word);
  await page.keyboard.press('Enter');
  const results = page.getByRole('region', { name: 'Search results' });
  await expect(results.getByRole('link')).toHaveCount(2);
  const only = results.getByRole('button', { name: 'Only this conversation' });
  await expect(only).toHaveAttribute('aria-pressed', 'false');
  await only.click();
  await expect(only).toHaveAttribute('aria-pressed', 'true');
  await expect(results.getByRole('link')).toHaveCount(1);
  await expect(results.getByRole('link')).toContainText(`${word} in ${here}`);

  await page.getByRole('searchbox', { name: 'Search messages' }).fill(`${word}zzz`);
  await expect(results.getByText('No messages found')).toBeVisible();
});
