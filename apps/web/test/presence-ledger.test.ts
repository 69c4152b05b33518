import { describe, expect, it } from 'vitest';
import { createPresenceLedger } from '../src/features/users/api.ts';

describe('presence when people arrive together', () => {
  it('keeps an online event heard while the list was in flight over the older list', () => {
    const ledger = createPresenceLedger();
    // Bob's list is read while Carol's socket is still being set up; her "online" arrives before it does.
    const token = ledger.begin();
    ledger.heard(3, true);
    expect(ledger.settle(token, { 2: true, 3: false })).toEqual({ 2: true, 3: true });
  });

  it('lets a list fetched after an event say what is true now', () => {
    const ledger = createPresenceLedger();
    ledger.heard(3, true);
    const token = ledger.begin();
    expect(ledger.settle(token, { 3: false })).toEqual({ 3: false });
  });

  it('applies the latest of several events', () => {
    const ledger = createPresenceLedger();
    const token = ledger.begin();
    ledger.heard(3, true);
    ledger.heard(3, false);
    ledger.heard(4, true);
    expect(ledger.settle(token, { 3: true, 4: false })).toEqual({ 3: false, 4: true });
  });
});
