import type { RedisClientType } from 'redis';
import { clientKey } from '../http/client-address.ts';
import { createRateLimit, type RateLimit } from '../http/rate-limit.ts';

export interface LoginAttempt {
  /** The password was right, or never checked (the hash was shed with 503): the attempt does not count. */
  succeeded(): Promise<void>;
}

export interface LoginLimit {
  /**
   * Counts one attempt at `email` from `address` before the password is checked, atomically per
   * budget (in Redis with several replicas), so parallel guesses get no more checks than a sequence
   * of them; 429 when any budget is spent. A refused attempt is given back to the budgets it did not
   * exhaust, so guesses one address cannot check also cost the account nothing elsewhere.
   */
  attempt(email: string, address: string | undefined): Promise<LoginAttempt>;
}

/**
 * API.md, "Abuse and identity": sign-in failures per IP and per (email, IP) at `LOGIN_RATE_LIMIT`,
 * per email alone at ten times that, so one attacker cannot lock an account's owner out from another
 * address while a spread-out attack on one account still stops (ADR 026).
 */
export function createLoginLimit(
  options: { points: number; seconds: number; prefix: (name: string) => string },
  redis?: RedisClientType,
): LoginLimit {
  const { points, seconds, prefix } = options;
  const budgets: RateLimit[] = [
    createRateLimit(prefix('login-ip'), points, seconds, redis),
    createRateLimit(prefix('login-email-ip'), points, seconds, redis),
    createRateLimit(prefix('login-email'), points * 10, seconds, redis),
  ];
  return {
    async attempt(email, address) {
      const ip = clientKey(address);
      const account = email.trim().toLowerCase();
      const keys = [ip, `${account} ${ip}`, account];
      const taken: number[] = [];
      try {
        for (const [i, budget] of budgets.entries()) {
          await budget.consume(keys[i]!);
          taken.push(i);
        }
      } catch (err) {
        await Promise.all(taken.map((i) => budgets[i]!.refund(keys[i]!)));
        throw err;
      }
      return {
        async succeeded() {
          await Promise.all(budgets.map((budget, i) => budget.refund(keys[i]!)));
        },
      };
    },
  };
}
