import type { Db } from '@parley/db';
import webpush from 'web-push';
import { storedVapidPair, type VapidPair } from './queries.ts';

export interface VapidKeys extends VapidPair {
  subject: string;
}

export interface VapidConfig {
  VAPID_PUBLIC_KEY?: string | undefined;
  VAPID_PRIVATE_KEY?: string | undefined;
  VAPID_SUBJECT?: string | undefined;
  PUBLIC_URL?: string | undefined;
}

/** API.md: `VAPID_SUBJECT`, else `PUBLIC_URL`, else a `mailto:` of the host. */
export function vapidSubject(config: VapidConfig, hostname: string): string {
  return config.VAPID_SUBJECT ?? config.PUBLIC_URL ?? `mailto:push@${hostname}`;
}

/**
 * The key pair every replica signs pushes with: the environment's, else the one kept in the database
 * (made by whichever replica asked first). Read once per process, on first use, so starting the app
 * needs no database round trip.
 */
export function vapidKeys(db: Db, config: VapidConfig, hostname: string): () => Promise<VapidKeys> {
  let loaded: Promise<VapidKeys> | undefined;
  const subject = vapidSubject(config, hostname);
  async function load(): Promise<VapidKeys> {
    if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
      return { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject };
    }
    return { ...(await storedVapidPair(db, webpush.generateVAPIDKeys())), subject };
  }
  return () => {
    loaded ??= load().catch((err) => {
      loaded = undefined; // the database was away: the next caller tries again
      throw err;
    });
    return loaded;
  };
}
