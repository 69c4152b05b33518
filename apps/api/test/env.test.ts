import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { loadEnv } from '../src/env.ts';

describe('configuration', () => {
  it('has working defaults for a newcomer', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, LOGIN_RATE_LIMIT: 10, SEND_RATE_LIMIT: 30, DATA_DIR: '.data' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('stops with one line naming the variable that is wrong', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/^Invalid configuration: PORT /);
    expect(() => loadEnv({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
    expect(() => loadEnv({ SEND_RATE_LIMIT: '-1' })).toThrow(/SEND_RATE_LIMIT/);
  });

  it('needs a session secret in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET is required when NODE_ENV=production/);
    expect(loadEnv({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });

  it('reads an empty variable as unset and 0 as "limit off"', () => {
    const env = loadEnv({ REDIS_URL: '', LOGIN_RATE_LIMIT: '0' });
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.LOGIN_RATE_LIMIT).toBe(0);
  });

  it('believes no proxy and serves metrics on loopback unless told', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      TRUST_PROXY: false,
      METRICS_PORT: 9464,
      METRICS_HOST: '127.0.0.1',
      REGISTER_RATE_LIMIT: 10,
      REGISTER_RATE_WINDOW_SECONDS: 3600,
      CREATE_RATE_LIMIT: 30,
      CREATE_RATE_WINDOW_SECONDS: 3600,
    });
    expect(loadEnv({ TRUST_PROXY: '172.20.0.10, loopback' }).TRUST_PROXY).toEqual(['172.20.0.10', 'loopback']);
    expect(() => loadEnv({ TRUST_PROXY: 'true' })).toThrow(/^Invalid configuration: TRUST_PROXY has "true"/);
  });

  it('takes a VAPID pair as web-push makes it, both keys or neither, and a mailto: or https: subject', () => {
    const { publicKey, privateKey } = webpush.generateVAPIDKeys();
    const env = loadEnv({
      VAPID_PUBLIC_KEY: publicKey,
      VAPID_PRIVATE_KEY: privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    });
    expect(env.VAPID_PUBLIC_KEY).toBe(publicKey);
    expect(() => loadEnv({ VAPID_PUBLIC_KEY: publicKey })).toThrow(/^Invalid configuration: VAPID_PRIVATE_KEY /);
    expect(() => loadEnv({ VAPID_PRIVATE_KEY: privateKey })).toThrow(/VAPID_PRIVATE_KEY/);
    expect(() => loadEnv({ VAPID_PUBLIC_KEY: 'not a key', VAPID_PRIVATE_KEY: privateKey })).toThrow(/VAPID_PUBLIC_KEY/);
    expect(() => loadEnv({ VAPID_SUBJECT: 'ops@example.com' })).toThrow(/VAPID_SUBJECT/);
  });
});
