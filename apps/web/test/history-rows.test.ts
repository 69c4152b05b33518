import { describe, expect, it } from 'vitest';
import { firstUnread, historyRows } from '../src/features/messages/history-rows.ts';
import type { OutboxEntry } from '../src/features/messages/outbox.ts';
import { at, message } from './fixtures.ts';

const ME = 2;
const ALICE = { id: 1, nickname: 'Alice' };
const BOB = { id: ME, nickname: 'Bob' };
const seenByMe = [{ userId: ME, seenAt: at(30) }];

const history = (messages: ReturnType<typeof message>[], hasOlder = false) => ({ messages, hasOlder, seq: 0 });
const shape = (rows: ReturnType<typeof historyRows>) =>
  rows.map((row) =>
    row.kind === 'message' ? `${row.message.id}${row.grouped ? '+' : ''}` : row.kind === 'pending' ? 'p' : row.kind,
  );

describe('the history rows', () => {
  it("groups one sender's consecutive messages, not across a day, a pause, a system entry or the separator", () => {
    const rows = historyRows(
      history([
        message(1, { sender: ALICE, createdAt: at(0) }),
        message(2, { sender: ALICE, createdAt: at(1) }),
        message(3, { sender: BOB, createdAt: at(2) }),
        message(4, { sender: BOB, createdAt: at(9) }),
        message(5, { sender: BOB, createdAt: at(10), kind: 'system', content: '' }),
        message(6, { sender: BOB, createdAt: at(11) }),
        message(7, { sender: ALICE, createdAt: at(12) }),
        message(8, { sender: ALICE, createdAt: at(13) }),
        message(9, { sender: ALICE, createdAt: '2026-01-02T09:00:00.000Z' }),
      ]),
      [],
      ME,
      8,
    );
    expect(shape(rows)).toEqual(['start', '1', '2+', '3', '4', '5', '6', '7', 'unread', '8', '9']);
  });

  it('keys my sent message by its clientId, so it keeps its row when confirmed, and never shows it twice', () => {
    const entry: OutboxEntry = {
      clientId: 'abc',
      conversationId: 7,
      content: 'hi',
      createdAt: at(5),
      status: 'sending',
    };
    const sending = historyRows(history([message(1)]), [entry], ME, null);
    const confirmed = historyRows(
      history([message(1), message(2, { sender: BOB, clientId: 'abc' })]),
      [entry],
      ME,
      null,
    );
    expect(sending.at(-1)?.key).toBe('cabc');
    expect(confirmed.at(-1)).toMatchObject({ kind: 'message', key: 'cabc' });
    expect(shape(confirmed)).toEqual(['start', '1', '2']);
  });
});

describe('where "New messages" goes', () => {
  it('above the first message of someone else that I have not seen', () => {
    const messages = [
      message(1, { sender: ALICE, seenBy: seenByMe }),
      message(2, { sender: BOB }),
      message(3, { sender: ALICE }),
      message(4, { sender: ALICE }),
    ];
    expect(firstUnread(history(messages), ME)).toBe(3);
    expect(firstUnread(history([message(1, { sender: ALICE, seenBy: seenByMe })]), ME)).toBeNull();
  });

  it('cannot tell when every message of others held is unread and older pages exist', () => {
    const messages = [message(3, { sender: BOB }), message(4, { sender: ALICE })];
    expect(firstUnread(history(messages, true), ME)).toBeUndefined();
    expect(firstUnread(history(messages, false), ME)).toBe(4);
  });
});
