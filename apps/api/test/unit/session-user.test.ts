import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sessionUser } from '../../src/auth/session-user.ts';

/** The user a request ends up with, given what its session holds. */
function userFor(session: unknown): unknown {
  const req = { session } as unknown as Request;
  let calledNext = false;
  sessionUser(req, {} as Response, () => {
    calledNext = true;
  });
  expect(calledNext).toBe(true);
  return req.user;
}

describe('sessionUser', () => {
  it('takes the user id passport wrote at sign-in', () => {
    expect(userFor({ cookie: {}, passport: { user: 42 } })).toEqual({ id: 42 });
  });

  it('leaves a signed-out or anonymous session without a user', () => {
    expect(userFor(undefined)).toBeUndefined();
    expect(userFor({ cookie: {} })).toBeUndefined();
    expect(userFor({ cookie: {}, passport: {} })).toBeUndefined();
  });

  it('refuses anything but a positive integer id, whatever the session row holds', () => {
    for (const user of [0, -1, 1.5, '1', '', null, {}, [], Number.NaN, 2 ** 53]) {
      expect(userFor({ cookie: {}, passport: { user } })).toBeUndefined();
    }
  });
});
