import { expect, type Locator, test } from '@playwright/test';
import pg from 'pg';
import { readState } from './support/server.ts';
import { createConversation, signedInUser } from './support/users.ts';

const TOTAL = 10_000;
/** Seeded content; the full stop and exact matching keep "#1000" from matching "#10000". */
const text = (n: number) => `History message #${n}.`;

/** The seeded messages rendered in the log: number and top edge relative to the log, top to bottom. */
async function renderedRows(log: Locator): Promise<{ n: number; top: number }[]> {
  return log.evaluate((el) => {
    const logTop = el.getBoundingClientRect().top;
    return Array.from(el.querySelectorAll('[data-message-id]'))
      .map((row) => ({
        n: Number(/History message #(\d+)\./.exec(row.textContent ?? '')?.[1] ?? Number.NaN),
        top: row.getBoundingClientRect().top - logTop,
      }))
      .filter((row) => !Number.isNaN(row.n))
      .sort((a, b) => a.top - b.top);
  });
}

/** The top of a seeded message relative to the log's top edge, or null when it is not rendered. */
async function offsetInLog(log: Locator, n: number): Promise<number | null> {
  return (await renderedRows(log)).find((row) => row.n === n)?.top ?? null;
}

test('a 10,000-message conversation opens at the bottom and loads older pages while scrolling up', async ({
  browser,
}) => {
  test.slow();
  const alice = await signedInUser(browser, 'Alice');
  const bob = await signedInUser(browser, 'Bob');
  const conversationId = await createConversation(alice, [bob]);

  // Seed the history in one statement: seq stays gapless 1..N and the conversation's counters match.
  const db = new pg.Client({ connectionString: readState().databaseUrl });
  await db.connect();
  try {
    await db.query(
      `with inserted as (
         insert into messages (conversation_id, seq, sender_id, content, created_at)
         select $1, g, case when g % 2 = 1 then $2::int else $3::int end, 'History message #' || g || '.',
                now() - make_interval(secs => ($4 - g) * 30)
         from generate_series(1, $4::int) as g
         returning id, seq, created_at
       )
       update conversations c
       set last_seq = last.seq, last_activity_at = last.created_at, updated_at = now()
       from (select id, seq, created_at from inserted order by seq desc limit 1) as last
       where c.id = $1`,
      [conversationId, alice.id, bob.id, TOTAL],
    );
    const { rows } = await db.query<{ count: number; min: number; max: number; last_seq: number }>(
      `select count(*)::int as count, min(seq) as min, max(seq) as max,
              (select last_seq from conversations where id = $1) as last_seq
       from messages where conversation_id = $1`,
      [conversationId],
    );
    expect(rows[0]).toEqual({ count: TOTAL, min: 1, max: TOTAL, last_seq: TOTAL });
  } finally {
    await db.end();
  }

  // Opening: the newest message is on screen, measured from the navigation.
  const { page } = alice;
  const log = page.getByRole('log', { name: 'Messages' });
  const startedAt = Date.now();
  await page.goto(`/c/${conversationId}`);
  // waitFor checks on every animation frame; expect's retry backoff would round the time up.
  await log.getByText(text(TOTAL), { exact: true }).waitFor();
  console.log(`10,000-message history → newest visible: ${Date.now() - startedAt} ms`);
  await expect(log.getByText(text(TOTAL), { exact: true })).toBeInViewport();

  // Virtualised: a handful of rows in the DOM, not ten thousand.
  const rowsAtOpen = await log.locator('[data-message-id]').count();
  expect(rowsAtOpen).toBeGreaterThan(0);
  expect(rowsAtOpen).toBeLessThan(100);

  // Hold the first older page until the reader's place has been noted, so the check below always
  // compares "before it landed" with "after it landed".
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let olderRequested = false;
  await page.route(/\/messages\?.*before=/, async (route) => {
    olderRequested = true;
    await held;
    await route.fallback();
  });

  // Scroll up with the mouse wheel until the list asks for the previous page.
  const box = await log.boundingBox();
  if (!box) throw new Error('the message log has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 60 && !olderRequested; i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(50);
  }
  expect(olderRequested, 'scrolling up asks for older messages').toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Loading earlier messages…' })).toBeVisible();

  // Let the wheel's scroll settle, then note a message in the middle of the viewport and where it is.
  await expect
    .poll(async () => {
      const a = await log.evaluate((el) => el.scrollTop);
      await page.waitForTimeout(100);
      return a === (await log.evaluate((el) => el.scrollTop));
    })
    .toBe(true);
  // Fully inside the viewport (rows are about 80 px tall).
  const visibleBefore = (await renderedRows(log)).filter((row) => row.top >= 0 && row.top < box.height - 100);
  expect(visibleBefore.length).toBeGreaterThan(0);
  const anchor = visibleBefore[Math.floor(visibleBefore.length / 2)]?.n ?? TOTAL;
  expect(anchor).toBeLessThan(TOTAL);
  const anchorOffset = await offsetInLog(log, anchor);
  const heightBefore = await log.evaluate((el) => el.scrollHeight);

  // The page lands: the list grows above the reader, who stays where they were.
  release();
  await expect.poll(() => log.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightBefore + 2_000);
  await expect(page.getByRole('status').filter({ hasText: 'Loading earlier messages…' })).toHaveCount(0);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(log.getByText(text(anchor), { exact: true })).toBeInViewport();
  const anchorOffsetAfter = await offsetInLog(log, anchor);
  expect(anchorOffsetAfter, `message #${anchor} stays where the reader saw it`).not.toBeNull();
  expect(Math.abs((anchorOffsetAfter ?? 0) - (anchorOffset ?? 0))).toBeLessThan(40);
  await page.unroute(/\/messages\?.*before=/);

  // Keep scrolling: older messages come into view in order, more pages load as needed.
  const older = log.getByText(text(TOTAL - 150), { exact: true });
  const olderOnScreen = async () => {
    const top = await offsetInLog(log, TOTAL - 150);
    return top !== null && top >= 0 && top < box.height - 100;
  };
  for (let i = 0; i < 80 && !(await olderOnScreen()); i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(50);
  }
  await expect(older).toBeInViewport();
  const numbers = (await renderedRows(log)).map((row) => row.n);
  expect(numbers.length).toBeLessThan(100);
  for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe((numbers[i - 1] ?? 0) + 1);
  expect(numbers).toContain(TOTAL - 150);

  // Back at the bottom, a message Bob sends live appears after the newest one.
  await page.getByRole('button', { name: '↓ Latest' }).click();
  await expect(log.getByText(text(TOTAL), { exact: true })).toBeInViewport();
  await expect(page.getByRole('button', { name: '↓ Latest' })).toHaveCount(0);

  await bob.page.goto(`/c/${conversationId}`);
  await expect(bob.page.getByRole('log', { name: 'Messages' }).getByText(text(TOTAL), { exact: true })).toBeVisible();
  const composer = bob.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Fresh off the press');
  await composer.press('Enter');

  const fresh = log.getByText('Fresh off the press', { exact: true });
  await expect(fresh).toBeInViewport();
  const [newestBox, freshBox] = await Promise.all([
    log.getByText(text(TOTAL), { exact: true }).boundingBox(),
    fresh.boundingBox(),
  ]);
  expect(freshBox?.y ?? 0).toBeGreaterThan(newestBox?.y ?? Number.POSITIVE_INFINITY);
  expect(await log.locator('[data-message-id]').count()).toBeLessThan(100);

  await Promise.all([alice.context.close(), bob.context.close()]);
});
