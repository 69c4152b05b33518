import { describe, expect, it } from 'vitest';
import { createLoginLimit } from '../../src/auth/login-limit.ts';

const limit = () => createLoginLimit({ points: 3, seconds: 60, prefix: (name) => `${name}-${Math.random()}` });
const statusOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 'checked',
    (err: { status: number }) => err.status,
  );

describe('login limit', () => {
  it('lets a burst of parallel attempts check no more passwords than a sequence', async () => {
    const login = limit();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => statusOf(login.attempt('a@x.test', '1.2.3.4'))),
    );
    expect(outcomes.filter((o) => o === 'checked')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 429)).toHaveLength(17);
  });

  it('keeps the owner’s own address open while an attacker exhausts theirs', async () => {
    const login = limit();
    for (let i = 0; i < 10; i++) await statusOf(login.attempt('victim@x.test', '6.6.6.6'));
    expect(await statusOf(login.attempt('victim@x.test', '7.7.7.7'))).toBe('checked');
  });

  it('stops an account at ten times the limit, whatever the addresses', async () => {
    const login = limit();
    const outcomes: unknown[] = [];
    for (let i = 0; i < 31; i++) outcomes.push(await statusOf(login.attempt('target@x.test', `10.0.${i}.1`)));
    expect(outcomes.slice(0, 30).every((o) => o === 'checked')).toBe(true);
    expect(outcomes[30]).toBe(429);
  });

  it('does not count a success', async () => {
    const login = limit();
    for (let i = 0; i < 5; i++) await (await login.attempt('me@x.test', '1.1.1.1')).succeeded();
    expect(await statusOf(login.attempt('me@x.test', '1.1.1.1'))).toBe('checked');
  });
});
